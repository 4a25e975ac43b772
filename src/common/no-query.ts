/**
 * The query of a route that takes no parameters: with the strict validation pipe, any key is a
 * 400, so a typo (`?sort=stars` on a profile) is reported rather than silently ignored.
 */
export class NoQuery {}
