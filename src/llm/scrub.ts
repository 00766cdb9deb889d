// Makes a provider's error message safe to log: bounded, without keys or tokens, and without anything from the prompt.

const maxLength = 300;
// Shapes of credentials a provider might echo: OpenAI/Anthropic keys, JWTs and OAuth tokens, AWS access key ids.
const credentialShapes = /\b(sk-[A-Za-z0-9_-]{6,}|eyJ[A-Za-z0-9_-]{10,}(\.[A-Za-z0-9_-]+)*|ya29\.[A-Za-z0-9_.-]+|A(KIA|SIA)[A-Z0-9]{12,})/g;
/** A run this long shared with the request body is treated as echoed prompt content. */
const echoWindow = 24;

/**
 * The message with the provider's key and every credential-shaped string replaced, cut to 300 characters. If any
 * 24-character run of it also occurs in the request's message texts, it may be echoed prompt content (notes are
 * patient data), so only a placeholder is kept.
 */
export function scrubMessage(
  message: string | undefined,
  redact: (text: string) => string,
  content: string | undefined,
): string | undefined {
  if (message === undefined) return undefined;
  let text = message
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 4 * maxLength);
  text = redact(text);
  text = text.replace(credentialShapes, '[redacted]');
  if (text.length > maxLength) text = `${text.slice(0, maxLength)}…`;
  if (content !== undefined && echoesRequest(text, content)) return '[message withheld: it quotes the request]';
  return text;
}

function echoesRequest(text: string, body: string): boolean {
  for (let i = 0; i + echoWindow <= text.length; i++) {
    if (body.includes(text.slice(i, i + echoWindow))) return true;
  }
  return false;
}
