import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** One span as OTLP/JSON carries it (ids in hex), with its attributes flattened. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, string | number | boolean | undefined>;
  status?: { code?: number; message?: string };
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpKeyValue {
  key: string;
  value: OtlpValue;
}
interface OtlpTraces {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: {
      spans?: (Omit<ReceivedSpan, 'attributes'> & { attributes?: OtlpKeyValue[] })[];
    }[];
  }[];
}

/**
 * An OpenTelemetry collector's OTLP/HTTP traces endpoint, in process on 127.0.0.1: accepts
 * `POST /v1/traces` in `http/json` and keeps what it got (the raw bodies too, to search them for
 * what must never be exported). Anything else is a 404; protobuf bodies are counted, not decoded.
 */
export class OtlpReceiver {
  /** Every POST received, decoded or not. */
  readonly bodies: { contentType: string; text: string }[] = [];
  readonly resources: Record<string, string | number | boolean | undefined>[] = [];
  readonly spans: ReceivedSpan[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<OtlpReceiver> {
    const server = createServer();
    const receiver = new OtlpReceiver(server);
    server.on('request', (request: IncomingMessage, response) => {
      void readBody(request).then((body) => {
        if (request.method !== 'POST' || request.url !== '/v1/traces') {
          response.writeHead(404).end();
          return;
        }
        receiver.receive(request.headers['content-type'] ?? '', body);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** The base URL, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private receive(contentType: string, body: Buffer): void {
    const text = body.toString('utf8');
    this.bodies.push({ contentType, text });
    if (!contentType.startsWith('application/json')) {
      return;
    }
    for (const resourceSpans of (JSON.parse(text) as OtlpTraces).resourceSpans ?? []) {
      this.resources.push(flatten(resourceSpans.resource?.attributes));
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          this.spans.push({ ...span, attributes: flatten(span.attributes) });
        }
      }
    }
  }
}

function flatten(
  attributes: OtlpKeyValue[] = [],
): Record<string, string | number | boolean | undefined> {
  return Object.fromEntries(
    attributes.map(({ key, value }) => [
      key,
      value.stringValue ??
        (value.intValue === undefined ? undefined : Number(value.intValue)) ??
        value.doubleValue ??
        value.boolValue,
    ]),
  );
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
