// The order value at or above which a case is high-value, per currency: about the same worth in
// each (EUR 300). A workspace may set its own (judgement.high_value.thresholds); a currency not
// listed, or an amount written without one ("3.5k"), uses DEFAULT_HIGH_VALUE.

export const DEFAULT_HIGH_VALUE_THRESHOLDS: Readonly<Record<string, number>> = Object.freeze({
  EUR: 300,
  USD: 350,
  GBP: 250,
  CHF: 300,
  CAD: 450,
  AUD: 500,
  NZD: 550,
  SEK: 3_500,
  NOK: 3_500,
  DKK: 2_200,
  PLN: 1_300,
  CZK: 7_500,
  HUF: 120_000,
  RON: 1_500,
  BRL: 1_800,
  MXN: 6_000,
  ARS: 350_000,
  CLP: 300_000,
  COP: 1_300_000,
  JPY: 50_000,
  INR: 27_000,
  TRY: 10_000,
  SGD: 450,
  HKD: 2_500,
});

export const DEFAULT_HIGH_VALUE = 300;
