const URL_CANDIDATE = /https?:\/\/[^\s<>"'`]+/g;
/** Punctuation that ends a sentence rather than the URL before it. */
const TRAILING_PUNCTUATION = new Set('.,;:!?)]}');

/** A link facet of a Bluesky post: UTF-8 byte offsets into its text. */
export interface LinkFacet {
  index: { byteStart: number; byteEnd: number };
  features: [{ $type: 'app.bsky.richtext.facet#link'; uri: string }];
}

/**
 * Plain link facets, so that URLs in a reply are links (Bluesky does not detect them itself).
 * Linear in the text: trailing punctuation is trimmed by a loop (`/[.,;:!?)\]}]+$/` is
 * quadratic on a run of it) and the byte offsets are counted on from the previous link.
 */
export function linkFacets(text: string): LinkFacet[] {
  const facets: LinkFacet[] = [];
  let counted = 0;
  let bytes = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    let end = match[0].length;
    while (end > 0 && TRAILING_PUNCTUATION.has(match[0][end - 1])) end--;
    const url = match[0].slice(0, end);
    if (!URL.canParse(url) || !new URL(url).hostname.includes('.')) continue;
    bytes += Buffer.byteLength(text.slice(counted, match.index), 'utf8');
    counted = match.index;
    const byteStart = bytes;
    facets.push({
      index: { byteStart, byteEnd: byteStart + Buffer.byteLength(url, 'utf8') },
      features: [{ $type: 'app.bsky.richtext.facet#link', uri: url }],
    });
  }
  return facets;
}
