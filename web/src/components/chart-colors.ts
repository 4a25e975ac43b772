/**
 * Distinguishable for the common colour-vision deficiencies (after Okabe & Ito); the last one is
 * for "other". Three of them (orange, sky blue, olive) fall below 3:1 against the light panel:
 * acceptable because colour never carries a number alone, since the legend beside the chart
 * names every slice with its share and count.
 */
export const SERIES_COLORS = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#b59f00',
];
export const OTHER_COLOR = '#8c959f';
