import { isolateConfigEnvironment } from '../../test/support/config-environment';
import { tracingConfig } from './tracing.config';
import { InvalidEnvironmentError } from './validate-env';

describe('tracingConfig', () => {
  isolateConfigEnvironment();

  it('should be off, with the specification defaults, when nothing is set', () => {
    expect(tracingConfig()).toEqual({
      enabled: false,
      tracesUrl: undefined,
      protocol: 'http/protobuf',
      headers: {},
      serviceName: 'github-dashboard-backend',
      resourceAttributes: {},
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    });
  });

  it('should stay off with every variable but an endpoint set', () => {
    // Arrange
    process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/json';
    process.env.OTEL_SERVICE_NAME = 'api';
    process.env.OTEL_TRACES_SAMPLER = 'always_on';
    // Act & Assert
    expect(tracingConfig().enabled).toBe(false);
  });

  it.each([
    ['http://otel-collector:4318', 'http://otel-collector:4318/v1/traces'],
    ['https://otlp.example.com/', 'https://otlp.example.com/v1/traces'],
    ['http://127.0.0.1:4318/base', 'http://127.0.0.1:4318/base/v1/traces'],
  ])('should append /v1/traces to OTEL_EXPORTER_OTLP_ENDPOINT %s', (endpoint, url) => {
    // Arrange
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint;
    // Act
    const config = tracingConfig();
    // Assert
    expect(config).toMatchObject({ enabled: true, tracesUrl: url });
  });

  it('should use OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as it is, before the general one', () => {
    // Arrange
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'http://general:4318';
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = 'http://traces:4318/custom';
    // Act & Assert
    expect(tracingConfig()).toMatchObject({
      enabled: true,
      tracesUrl: 'http://traces:4318/custom',
    });
  });

  it.each(['true', 'TRUE'])('should be off when OTEL_SDK_DISABLED=%s, endpoint or not', (value) => {
    // Arrange
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'http://otel-collector:4318';
    process.env.OTEL_SDK_DISABLED = value;
    // Act & Assert
    expect(tracingConfig().enabled).toBe(false);
  });

  it('should read every other variable', () => {
    // Arrange
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'http://otel-collector:4318';
    process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/json';
    process.env.OTEL_EXPORTER_OTLP_HEADERS = 'x-api-key=abc%3D%3D,x-team=core';
    process.env.OTEL_SERVICE_NAME = 'dashboard-api';
    process.env.OTEL_RESOURCE_ATTRIBUTES =
      'deployment.environment.name=production,k8s.pod.name=p%201';
    process.env.OTEL_TRACES_SAMPLER = 'parentbased_traceidratio';
    process.env.OTEL_TRACES_SAMPLER_ARG = '0.25';
    // Act
    const config = tracingConfig();
    // Assert
    expect(config).toEqual({
      enabled: true,
      tracesUrl: 'http://otel-collector:4318/v1/traces',
      protocol: 'http/json',
      headers: { 'x-api-key': 'abc==', 'x-team': 'core' },
      serviceName: 'dashboard-api',
      resourceAttributes: { 'deployment.environment.name': 'production', 'k8s.pod.name': 'p 1' },
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
    });
  });

  it.each([
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'otel-collector:4318'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'grpc://otel-collector:4317'],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'not a url'],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc'],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'http/xml'],
    ['OTEL_EXPORTER_OTLP_HEADERS', 'just-a-key'],
    ['OTEL_RESOURCE_ATTRIBUTES', 'a=1,,b=2'],
    ['OTEL_SERVICE_NAME', 'two words'],
    ['OTEL_TRACES_SAMPLER', 'sometimes'],
    ['OTEL_TRACES_SAMPLER_ARG', '1.5'],
    ['OTEL_TRACES_SAMPLER_ARG', 'half'],
    ['OTEL_SDK_DISABLED', 'yes'],
  ])('should reject %s=%s with a one-line message naming it', (name, value) => {
    // Arrange
    process.env[name] = value;
    // Act & Assert
    expect(() => tracingConfig()).toThrow(InvalidEnvironmentError);
    expect(() => tracingConfig()).toThrow(
      new RegExp(`^Invalid environment variable ${name}: ${name} must`),
    );
  });

  it('should say which protocols it supports when given grpc', () => {
    process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'grpc';
    expect(() => tracingConfig()).toThrow(
      "OTEL_EXPORTER_OTLP_PROTOCOL must be one of http/protobuf, http/json (grpc is not supported: use the collector's OTLP/HTTP port, 4318)",
    );
  });

  it('should never echo the headers, which carry API keys', () => {
    process.env.OTEL_EXPORTER_OTLP_HEADERS = 'x-api-key secret-value';
    expect(() => tracingConfig()).toThrow(/^(?!.*secret-value)/s);
  });
});
