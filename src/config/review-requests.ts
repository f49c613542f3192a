import { getCountriesForTimezone, getCountry } from 'countries-and-timezones';
import { z } from 'zod';
import { REQUEST_LANGUAGES } from '../domain/review-request-email';
import { DEFAULT_POLICY, type RequestPolicy } from '../domain/review-requests';

// The `review_requests` section of the workspace config: asking customers for a review after
// delivery. Off until the store turns it on; every other key has the brief's default. There is
// deliberately no setting for a discount, coupon or any reward: requests never pay for a rating,
// and an unknown key such as `incentive` is refused like any other.

const country = z
  .string()
  .trim()
  .toUpperCase()
  .refine((c) => getCountry(c) !== null, 'must be a two-letter country code such as DE or US');
const days = (max: number) => z.int('must be a whole number of days').min(0, 'must be 0 or more').max(max, `must be at most ${max}`);
const productKey = z.string().trim().min(1).max(200);

const window = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, 'must be a span of the day such as "09:00-20:00"')
  .refine((s) => {
    const [a, b] = s.split('-').map((x) => Number(x.slice(0, 2)) * 60 + Number(x.slice(3)));
    return b! - a! >= 120;
  }, 'must be at least two hours long, starting before it ends');

export const REQUEST_MEDIA = ['none', 'photo', 'video'] as const;

/**
 * Who sends the request once Trustloop's schedule says it may go: Trustloop by e-mail, or Judge.me
 * (its documented send_manual_review_request endpoint, with JUDGEME_API_TOKEN), which then sends
 * its own e-mail and reminders. Yotpo, Okendo and Loox document no endpoint that triggers one.
 */
export const REQUEST_SENDERS = ['email', 'judgeme'] as const;

export const reviewRequestsConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    send_via: z.enum(REQUEST_SENDERS).default('email'),
    /** The store's own country: deliveries there are domestic. */
    home_country: country.optional(),
    delay_days: z
      .object({
        domestic: days(180).default(DEFAULT_POLICY.domesticDays),
        international: days(180).default(DEFAULT_POLICY.internationalDays),
        countries: z
          .record(z.string(), days(180))
          .superRefine((r, ctx) => {
            for (const key of Object.keys(r)) {
              if (!getCountry(key.toUpperCase())) {
                ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" must be a two-letter country code such as DE or US` });
              }
            }
          })
          .transform((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toUpperCase(), v])))
          .default({}),
        products: z.record(productKey, days(365)).default({}),
      })
      .strict()
      .prefault({}),
    /** Days after the previous e-mail for each reminder: at most two. */
    reminder_days: z.array(days(60).min(1, 'must be at least 1')).max(2, 'at most two reminders').default(DEFAULT_POLICY.reminderDays),
    cap: z
      .object({
        per_customer: z.int().min(1).max(10).default(DEFAULT_POLICY.customerCap),
        days: days(365).min(1).default(DEFAULT_POLICY.customerCapDays),
      })
      .strict()
      .prefault({}),
    /** A product is asked about at most once per customer in this many days. */
    product_repeat_days: days(730).default(DEFAULT_POLICY.productRepeatDays),
    /** The customer's daytime (in their time zone, or their country's) when requests go out. */
    send_window: window.default('09:00-20:00'),
    /** A request held back (open case, refund, dispute) longer than this past its due date is dropped. */
    max_hold_days: days(180).min(1).default(DEFAULT_POLICY.maxHoldDays),
    /** The From address of requests; default SMTP_FROM. */
    from: z.string().trim().min(3).max(300).optional(),
    /** Languages requests are written in (the customer's when listed, else `default_language`). */
    languages: z.array(z.enum(REQUEST_LANGUAGES)).min(1).default([...REQUEST_LANGUAGES]),
    default_language: z.enum(REQUEST_LANGUAGES).default('en'),
    /**
     * Where the customer writes the review: {product} is replaced by the product key (URL-encoded).
     * For example https://linenloom.example/products/{product}#reviews.
     */
    review_url: z
      .string()
      .trim()
      .refine((u) => /^https:\/\/[^\s]+$/.test(u), 'must be an https:// address, with {product} where the product goes')
      .optional(),
    /** Ask for a photo or a short video: for every product, and per product. */
    ask_for_media: z
      .object({
        default: z.enum(REQUEST_MEDIA).default('photo'),
        products: z.record(productKey, z.enum(REQUEST_MEDIA)).default({}),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.enabled && r.send_via === 'email' && !r.review_url) {
      ctx.addIssue({ code: 'custom', path: ['review_url'], message: 'is needed to send requests by e-mail: where the customer writes the review' });
    }
    if (!r.languages.includes(r.default_language)) {
      ctx.addIssue({ code: 'custom', path: ['default_language'], message: `must be one of languages (${r.languages.join(', ')})` });
    }
  });

export type ReviewRequestsConfig = z.output<typeof reviewRequestsConfigSchema>;

/** The schedule's rules from the config; the home country defaults to the store's time zone's country. */
export function requestPolicy(cfg: ReviewRequestsConfig, storeTimezone: string): RequestPolicy {
  const [from, to] = cfg.send_window.split('-').map((x) => Number(x.slice(0, 2)) * 60 + Number(x.slice(3)));
  return {
    homeCountry: cfg.home_country ?? homeCountryOf(storeTimezone),
    domesticDays: cfg.delay_days.domestic,
    internationalDays: cfg.delay_days.international,
    countryDays: cfg.delay_days.countries,
    productDays: cfg.delay_days.products,
    reminderDays: cfg.reminder_days,
    customerCap: cfg.cap.per_customer,
    customerCapDays: cfg.cap.days,
    productRepeatDays: cfg.product_repeat_days,
    windowStartMin: from!,
    windowEndMin: to!,
    maxHoldDays: cfg.max_hold_days,
  };
}

function homeCountryOf(timezone: string): string {
  // The zone's first country (Europe/Berlin → DE); UTC and the like have none.
  return getCountriesForTimezone(timezone)[0]?.id ?? DEFAULT_POLICY.homeCountry;
}
