/**
 * Paths that carry a credential in a segment (an invite code is one: whoever holds it joins the
 * inviter's network). Logs show the route, never the segment.
 */
const SECRET_SEGMENTS: RegExp[] = [/^(\/v1\/partner-invites\/)([^/?#]+)(\/(?:join|accept))/];

export function redactUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  return SECRET_SEGMENTS.reduce((current, pattern) => current.replace(pattern, '$1[redacted]$3'), url);
}
