import { CacheConfig } from '../config/cache.config';
import { MetricsService } from '../metrics/metrics.service';
import { MEMORY_SHARES, MemoryBudget } from './memory-budget';
import { testCacheConfig } from '../../test/support/cache-config';

function config(maxBytes: number): CacheConfig {
  return testCacheConfig({ maxBytes });
}

describe(MemoryBudget.name, () => {
  it('should give each cache its share, and the shares should add up to the whole', () => {
    const budget = new MemoryBudget(config(1_000_000), new MetricsService());
    const names = Object.keys(MEMORY_SHARES) as (keyof typeof MEMORY_SHARES)[];
    const total = names.reduce((sum, name) => sum + budget.bytesFor(name), 0);
    expect(total).toBeLessThanOrEqual(1_000_000);
    expect(total).toBeGreaterThan(999_990);
    expect(budget.bytesFor('results')).toBe(600_000);
  });

  it('should evict the least recently used entries to stay within the share, by bytes', () => {
    // Arrange: 1,000 bytes for summaries (5 % of 20,000); entries of 300 bytes each.
    const budget = new MemoryBudget(config(20_000), new MetricsService());
    const cache = budget.create<string, { bytes: number }>('summaries', {
      sizeOf: (value) => value.bytes,
    });
    cache.set('a', { bytes: 300 });
    cache.set('b', { bytes: 300 });
    cache.set('c', { bytes: 300 });
    cache.get('a'); // a is now the most recently used

    // Act
    cache.set('d', { bytes: 300 });

    // Assert
    expect(cache.calculatedSize).toBeLessThanOrEqual(1000);
    expect([...cache.keys()].sort()).toEqual(['a', 'c', 'd']);
  });

  it('should not keep an entry larger than the whole share, nor flush the others for it', () => {
    const budget = new MemoryBudget(config(20_000), new MetricsService());
    const cache = budget.create<string, { bytes: number }>('summaries', {
      sizeOf: (value) => value.bytes,
    });
    cache.set('small', { bytes: 100 });

    cache.set('huge', { bytes: 5_000 });

    expect(cache.has('huge')).toBe(false);
    expect(cache.has('small')).toBe(true);
  });

  it('should size entries by their estimated heap bytes when told nothing else', () => {
    const budget = new MemoryBudget(config(20_000), new MetricsService());
    const cache = budget.create<string, { text: string }>('summaries');

    cache.set('k', { text: 'x'.repeat(200) });

    expect(cache.calculatedSize).toBeGreaterThan(200);
    expect(cache.calculatedSize).toBeLessThan(300);
  });

  it('should report what each cache holds to /metrics', async () => {
    const metrics = new MetricsService();
    const budget = new MemoryBudget(config(20_000), metrics);
    budget.create<string, { bytes: number }>('summaries', { sizeOf: (v) => v.bytes }).set('a', {
      bytes: 321,
    });

    const exposition = await metrics.registry.metrics();

    expect(exposition).toContain('cache_bytes{cache="summaries"} 321');
    expect(exposition).toContain('cache_max_bytes{cache="summaries"} 1000');
  });

  it('should refuse to create one cache twice, which would count its budget twice', () => {
    const budget = new MemoryBudget(config(20_000), new MetricsService());
    budget.create('listings');
    expect(() => budget.create('listings')).toThrow(/twice/);
  });
});
