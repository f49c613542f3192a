import { readFileSync } from 'node:fs';
import { type Env, EnvError } from '../config/env';
import { paypal } from './providers';

// Provider secrets from the environment, checked once at start-up: a PayPal certificate that
// cannot be read stops start-up naming the variable, rather than failing every delivery.

export interface ProviderSecrets {
  stripe?: string[];
  shopify?: string[];
  judgeme?: string[];
  okendo?: string[];
  trustpilot?: string[];
  yotpo?: string[];
  zendesk?: string[];
  helpscout?: string[];
  gorgias?: string[];
  postmark?: string[];
  mailgun?: string[];
  paypal?: paypal.PaypalConfig;
}

export function providerSecrets(env: Env): ProviderSecrets {
  const out: ProviderSecrets = {
    ...(env.STRIPE_WEBHOOK_SECRET ? { stripe: env.STRIPE_WEBHOOK_SECRET } : {}),
    ...(env.SHOPIFY_WEBHOOK_SECRET ? { shopify: env.SHOPIFY_WEBHOOK_SECRET } : {}),
    ...(env.JUDGEME_WEBHOOK_SECRET ? { judgeme: env.JUDGEME_WEBHOOK_SECRET } : {}),
    ...(env.OKENDO_WEBHOOK_SECRET ? { okendo: env.OKENDO_WEBHOOK_SECRET } : {}),
    ...(env.TRUSTPILOT_WEBHOOK_TOKEN ? { trustpilot: env.TRUSTPILOT_WEBHOOK_TOKEN } : {}),
    ...(env.YOTPO_WEBHOOK_TOKEN ? { yotpo: env.YOTPO_WEBHOOK_TOKEN } : {}),
    ...(env.ZENDESK_WEBHOOK_SECRET ? { zendesk: env.ZENDESK_WEBHOOK_SECRET } : {}),
    ...(env.HELPSCOUT_WEBHOOK_SECRET ? { helpscout: env.HELPSCOUT_WEBHOOK_SECRET } : {}),
    ...(env.GORGIAS_WEBHOOK_TOKEN ? { gorgias: env.GORGIAS_WEBHOOK_TOKEN } : {}),
    ...(env.POSTMARK_INBOUND_TOKEN ? { postmark: env.POSTMARK_INBOUND_TOKEN } : {}),
    ...(env.MAILGUN_WEBHOOK_SIGNING_KEY ? { mailgun: env.MAILGUN_WEBHOOK_SIGNING_KEY } : {}),
  };
  if (env.PAYPAL_WEBHOOK_ID) {
    const variable = env.PAYPAL_CERT_PEM ? 'PAYPAL_CERT_PEM' : 'PAYPAL_CERT_FILE';
    let pem: string;
    try {
      pem = env.PAYPAL_CERT_PEM ?? readFileSync(env.PAYPAL_CERT_FILE!, 'utf8');
    } catch (err) {
      throw new EnvError([
        { variable, detail: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): check the path` },
      ]);
    }
    try {
      paypal.loadCertificates(pem);
    } catch (err) {
      throw new EnvError([{ variable, detail: `is not a PEM certificate: ${(err as Error).message}` }]);
    }
    out.paypal = { webhookId: env.PAYPAL_WEBHOOK_ID, certificates: pem };
  }
  return out;
}

/** The variable to set to turn each provider on, for the 404 a provider gets until then. */
export const PROVIDER_SETTING: Record<keyof ProviderSecrets, string> = {
  stripe: 'STRIPE_WEBHOOK_SECRET',
  shopify: 'SHOPIFY_WEBHOOK_SECRET',
  judgeme: 'JUDGEME_WEBHOOK_SECRET',
  okendo: 'OKENDO_WEBHOOK_SECRET',
  trustpilot: 'TRUSTPILOT_WEBHOOK_TOKEN',
  yotpo: 'YOTPO_WEBHOOK_TOKEN',
  zendesk: 'ZENDESK_WEBHOOK_SECRET',
  helpscout: 'HELPSCOUT_WEBHOOK_SECRET',
  gorgias: 'GORGIAS_WEBHOOK_TOKEN',
  postmark: 'POSTMARK_INBOUND_TOKEN',
  mailgun: 'MAILGUN_WEBHOOK_SIGNING_KEY',
  paypal: 'PAYPAL_WEBHOOK_ID and PAYPAL_CERT_FILE',
};
