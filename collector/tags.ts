/**
 * The tag by which the component marks what each bucket is for. The policy pack reads it as one of
 * several signals; it never relies on logical names, which users may change.
 */
export const ROLE_TAG = "cloudfront-collector:role";
