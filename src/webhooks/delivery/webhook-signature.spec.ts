import { createHmac } from 'node:crypto';
import { signatureMatches } from './webhook-signature';

const body = Buffer.from('{"zen":"Design for failure.","hook_id":1}');
const sign = (secret: string, bytes: Buffer = body): string =>
  `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`;

describe(signatureMatches.name, () => {
  it('should accept the HMAC-SHA256 of the body under the secret', () => {
    expect(signatureMatches(['s3cret'], body, sign('s3cret'))).toBe(true);
  });

  it('should accept a signature made with a secret later in the list (rotation)', () => {
    expect(signatureMatches(['new', 'old'], body, sign('old'))).toBe(true);
  });

  it.each([
    ['no signature', undefined],
    ['an empty signature', ''],
    ['another secret', sign('other')],
    ['another body', sign('s3cret', Buffer.from('{}'))],
    ['the hex alone', sign('s3cret').slice('sha256='.length)],
    ['sha1', `sha1=${createHmac('sha1', 's3cret').update(body).digest('hex')}`],
    ['upper-case hex', sign('s3cret').toUpperCase()],
  ])('should refuse %s', (_name, signature) => {
    expect(signatureMatches(['s3cret'], body, signature)).toBe(false);
  });

  it('should refuse an empty body and an empty list of secrets', () => {
    expect(signatureMatches(['s3cret'], Buffer.alloc(0), sign('s3cret'))).toBe(false);
    expect(signatureMatches([], body, sign('s3cret'))).toBe(false);
  });

  it('should check the bytes as received, not as text: a body that is not UTF-8 too', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const asText = Buffer.from(bytes.toString('utf8'));

    expect(signatureMatches(['s3cret'], bytes, sign('s3cret', bytes))).toBe(true);
    expect(signatureMatches(['s3cret'], bytes, sign('s3cret', asText))).toBe(false);
  });
});
