import { UNDESCRIBED_OPERATIONS, UNDOCUMENTED_ALIASES } from './description-gaps';
import { GithubDescription, OpenApiOperation } from './github-description';

export interface FoundOperation {
  /** The description's path template, e.g. `/users/{username}/repos`. */
  template: string;
  method: string;
  operation: OpenApiOperation;
}

interface Template {
  template: string;
  pattern: RegExp;
  literalSegments: number;
  documented: string;
}

/** Finds the operation a request path belongs to by the description's own path templates. */
export class OperationFinder {
  private readonly templates: Template[];

  constructor(private readonly description: GithubDescription) {
    const documented = [
      ...Object.keys(description.paths),
      ...Object.keys(UNDESCRIBED_OPERATIONS),
    ].map((template) => toTemplate(template, template));
    const aliases = Object.entries(UNDOCUMENTED_ALIASES).map(([alias, target]) => {
      if (!description.paths[target] && !UNDESCRIBED_OPERATIONS[target]) {
        throw new Error(`alias target ${target} is not in the description any more`);
      }
      return toTemplate(alias, target);
    });
    this.templates = [...documented, ...aliases];
  }

  /**
   * The operation for `method` on `path` (query ignored). As OpenAPI says, a concrete path wins
   * over a templated one (`/user/repos` over `/user/{account_id}`): the match with the most
   * literal segments is taken, and two equally specific matches are an error.
   */
  find(method: string, path: string): FoundOperation {
    const pathname = new URL(path, 'http://path.invalid').pathname.replace(/(.)\/$/, '$1');
    const matches = this.templates
      .filter((candidate) => candidate.pattern.test(pathname))
      .sort((a, b) => b.literalSegments - a.literalSegments);
    const [best, runnerUp] = matches;
    if (!best) {
      throw new Error(`${method} ${path}: no path template of the description matches`);
    }
    if (runnerUp && runnerUp.literalSegments === best.literalSegments) {
      throw new Error(`${method} ${path}: ambiguous, ${best.template} or ${runnerUp.template}`);
    }
    const pathItem =
      this.description.paths[best.documented] ?? UNDESCRIBED_OPERATIONS[best.documented];
    const operation = pathItem[method.toLowerCase()] as OpenApiOperation | undefined;
    if (!operation) {
      throw new Error(`${method} ${path}: ${best.template} documents no ${method}`);
    }
    return { template: best.documented, method: method.toUpperCase(), operation };
  }
}

function toTemplate(template: string, documented: string): Template {
  const segments = template.split('/').slice(1);
  const source = segments
    .map((segment) =>
      segment.replace(/\{[^}]+\}|[^{}]+/g, (part) =>
        part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
      ),
    )
    .join('/');
  return {
    template,
    documented,
    pattern: new RegExp(`^/${source}$`),
    literalSegments: segments.filter((segment) => !segment.includes('{')).length,
  };
}
