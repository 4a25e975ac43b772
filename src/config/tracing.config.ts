import { registerAs } from '@nestjs/config';
import { IsIn, IsOptional, IsUrl, Matches } from 'class-validator';
import { validateEnv } from './validate-env';

/**
 * OTLP over HTTP only: `http/protobuf` (the specification's default) or `http/json`. gRPC would
 * add @grpc/grpc-js for no gain; every collector also listens for OTLP/HTTP (port 4318).
 */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

export const TRACES_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type TracesSampler = (typeof TRACES_SAMPLERS)[number];

/** `key=value,key=value` (W3C baggage style, values percent-encoded), as OTEL_* lists are written. */
const KEY_VALUE_LIST = /^[^\s=,]+=[^,]*(,[^\s=,]+=[^,]*)*$/;
const OTLP_URL = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/**
 * The standard OpenTelemetry variables the service honours (their names and meanings are the
 * specification's). Tracing is off unless an OTLP endpoint is set.
 */
export class TracingEnvironment {
  @IsOptional()
  @IsIn(['true', 'false', 'TRUE', 'FALSE'], { message: 'OTEL_SDK_DISABLED must be true or false' })
  OTEL_SDK_DISABLED?: string;

  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,255}$/, {
    message: 'OTEL_SERVICE_NAME must be 1-255 printable characters without spaces',
  })
  OTEL_SERVICE_NAME?: string;

  @IsOptional()
  @Matches(KEY_VALUE_LIST, {
    message:
      'OTEL_RESOURCE_ATTRIBUTES must be a comma list of key=value such as deployment.environment.name=production',
  })
  OTEL_RESOURCE_ATTRIBUTES?: string;

  @IsOptional()
  @IsUrl(OTLP_URL, {
    message:
      'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL such as http://otel-collector:4318',
  })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @IsOptional()
  @IsUrl(OTLP_URL, {
    message:
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http(s) URL such as http://otel-collector:4318/v1/traces',
  })
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;

  @IsOptional()
  @IsIn(OTLP_PROTOCOLS, {
    message: `OTEL_EXPORTER_OTLP_PROTOCOL must be one of ${OTLP_PROTOCOLS.join(', ')} (grpc is not supported: use the collector's OTLP/HTTP port, 4318)`,
  })
  OTEL_EXPORTER_OTLP_PROTOCOL?: OtlpProtocol;

  // The message never echoes the value: these headers usually carry an API key.
  @IsOptional()
  @Matches(KEY_VALUE_LIST, {
    message: 'OTEL_EXPORTER_OTLP_HEADERS must be a comma list of key=value such as x-api-key=...',
  })
  OTEL_EXPORTER_OTLP_HEADERS?: string;

  @IsOptional()
  @IsIn(TRACES_SAMPLERS, {
    message: `OTEL_TRACES_SAMPLER must be one of ${TRACES_SAMPLERS.join(', ')}`,
  })
  OTEL_TRACES_SAMPLER?: TracesSampler;

  @IsOptional()
  @Matches(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, {
    message: 'OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 (the ratio of traces kept)',
  })
  OTEL_TRACES_SAMPLER_ARG?: string;
}

/** `a=1,b=x%20y` as a record, values percent-decoded. */
function keyValues(list: string | undefined): Record<string, string> {
  if (!list) {
    return {};
  }
  return Object.fromEntries(
    list.split(',').map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at).trim(), safeDecode(pair.slice(at + 1).trim())];
    }),
  );
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The signal-specific endpoint is used as it is; the general one gets `/v1/traces` appended. */
function tracesUrlOf(env: TracingEnvironment): string | undefined {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  }
  return env.OTEL_EXPORTER_OTLP_ENDPOINT
    ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`
    : undefined;
}

export const tracingConfig = registerAs('tracing', () => {
  const env = validateEnv(TracingEnvironment);
  const tracesUrl = tracesUrlOf(env);
  return {
    /** Off unless an OTLP endpoint is set (and the SDK is not disabled): no exporter, no spans. */
    enabled: tracesUrl !== undefined && env.OTEL_SDK_DISABLED?.toLowerCase() !== 'true',
    tracesUrl,
    protocol: env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf',
    headers: keyValues(env.OTEL_EXPORTER_OTLP_HEADERS),
    serviceName: env.OTEL_SERVICE_NAME ?? 'github-dashboard-backend',
    resourceAttributes: keyValues(env.OTEL_RESOURCE_ATTRIBUTES),
    sampler: env.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on',
    samplerRatio:
      env.OTEL_TRACES_SAMPLER_ARG === undefined ? 1 : Number(env.OTEL_TRACES_SAMPLER_ARG),
  };
});
export type TracingConfig = ReturnType<typeof tracingConfig>;
