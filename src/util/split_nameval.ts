/*
 * split_nameval - split "name = value" text into a name and a value.
 * Counterpart: postfix/src/util/split_nameval.c. White space around the name and the value
 * is dropped (C isspace()); the error texts are Postfix's, because programs print them.
 */

const C_SPACE = /[ \t\n\v\f\r]/;

/** Postfix: split_nameval(). Returns the pair, or the text that explains what is wrong. */
export function splitNameval(text: string): { name: string; value: string } | string {
  let np = 0;
  while (np < text.length && C_SPACE.test(text[np]!)) np++;
  if (np === text.length || text[np] === '=') return 'missing attribute name';
  let ep = np;
  while (ep < text.length && !C_SPACE.test(text[ep]!) && text[ep] !== '=') ep++;
  let cp = ep;
  while (cp < text.length && C_SPACE.test(text[cp]!)) cp++;
  if (text[cp] !== '=') return "missing '=' after attribute name";
  let vp = cp + 1;
  while (vp < text.length && C_SPACE.test(text[vp]!)) vp++;
  let end = text.length;
  while (end > vp && C_SPACE.test(text[end - 1]!)) end--;
  return { name: text.slice(np, ep), value: text.slice(vp, end) };
}
