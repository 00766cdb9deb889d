// The shipped config names models the vendors' SDKs list today and do not mark deprecated (a retired name answers
// 404 and turns every summary into the fallback). The lists are read from the SDKs' own types and data.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { parseLlmConfig, type ProviderConfig } from '../../src/llm';

const shipped = readFileSync(join(__dirname, '../../config/llm.yaml'), 'utf8');
const everyVariable = {
  OPENAI_API_KEY: 'k',
  ANTHROPIC_API_KEY: 'k',
  AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com',
  AZURE_OPENAI_DEPLOYMENT: 'd',
  BEDROCK_REGION: 'us-east-1',
  VERTEX_PROJECT: 'p',
};

/** The string literals of a union type an SDK exports, resolved by the TypeScript compiler. */
function unionMembers(imports: Record<string, string>): Record<string, Set<string>> {
  const cache = join(__dirname, '../../node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'shiftnote-models-'));
  const file = join(dir, 'lists.ts');
  const lines = Object.entries(imports).map(([name, spec], i) => {
    const [module, path] = spec.split('#');
    return `import type * as m${i} from '${module}';\nexport type ${name} = m${i}.${path};`;
  });
  writeFileSync(file, lines.join('\n'));
  try {
    const program = ts.createProgram([file], {
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      skipLibCheck: true,
      noEmit: true,
      esModuleInterop: true,
    });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(file)!;
    const module = checker.getSymbolAtLocation(source)!;
    const out: Record<string, Set<string>> = {};
    for (const name of Object.keys(imports)) {
      const symbol = checker.getExportsOfModule(module).find((s) => s.name === name)!;
      const type = checker.getDeclaredTypeOfSymbol(symbol);
      const members = type.isUnion() ? type.types : [type];
      out[name] = new Set(members.filter((t) => t.isStringLiteral()).map((t) => t.value));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const lists = unionMembers({
  openai: 'openai/resources/shared#ChatModel',
  claude: '@anthropic-ai/sdk/resources/messages#Model',
  gemini: '@google/genai#Interactions.Model',
});
// The SDK warns on these at run time; its package exports do not include the file, so it is read by path.
const loadByPath = createRequire(__filename);
const deprecated = (
  loadByPath(join(dirname(loadByPath.resolve('@anthropic-ai/sdk')), 'internal/data/deprecated-models.js')) as {
    DEPRECATED_MODELS: Record<string, string>;
  }
).DEPRECATED_MODELS;

/** The Claude model name inside a Bedrock id or profile (us.anthropic.claude-haiku-5-5, anthropic.claude-…-v1:0) or a Vertex name (claude-…@20251001). */
function claudeName(model: string): string {
  return model
    .replace(/^(arn:aws:bedrock:[^/]+\/)?((us|eu|apac|au|jp|us-gov|global)\.)?anthropic\./, '')
    .replace(/-v\d+(:\d+)?$/, '')
    .replace(/@\d{8}$/, '');
}

/** Problems with the models a config names: unknown to the SDK's list, or on its deprecation list. */
export function modelProblems(config: ProviderConfig[]): string[] {
  const problems: string[] = [];
  for (const p of config) {
    const model = p.model;
    if (model === undefined) continue;
    const claude =
      p.type === 'anthropic' || (p.type === 'vertex' && p.publisher === 'anthropic') || (p.type === 'bedrock' && /anthropic\./.test(model));
    if (p.type === 'openai' || p.type === 'azure-openai') {
      if (!lists.openai.has(model)) problems.push(`${p.name}: ${model} is not in openai's ChatModel list`);
    } else if (claude) {
      const name = claudeName(model);
      if (!lists.claude.has(name)) problems.push(`${p.name}: ${name} is not in @anthropic-ai/sdk's Model list`);
      if (name in deprecated) problems.push(`${p.name}: ${name} is deprecated (end of life ${deprecated[name]})`);
    } else if (p.type === 'vertex' && p.publisher === 'google') {
      if (!lists.gemini.has(model)) problems.push(`${p.name}: ${model} is not in @google/genai's model list`);
    } else {
      problems.push(`${p.name}: no SDK list to check ${model} against`);
    }
  }
  return problems;
}

test('the SDK lists were read (not empty), and hold what they should', () => {
  expect(lists.openai.size).toBeGreaterThan(50);
  expect(lists.claude.has('claude-haiku-5-5')).toBe(true);
  expect(lists.claude.has('claude-3-5-haiku-latest')).toBe(false);
  expect(lists.gemini.has('gemini-3.5-flash')).toBe(true);
  expect(Object.keys(deprecated).length).toBeGreaterThan(0);
});

test('every model the shipped config/llm.yaml names is listed by its SDK and not deprecated', () => {
  const config = parseLlmConfig(shipped, everyVariable);
  expect(config.providers.map((p) => [p.name, p.model])).toEqual([
    ['openai', 'gpt-5.4-mini'],
    ['anthropic', 'claude-haiku-5-5'],
    ['azure', 'gpt-5.4-mini'],
    ['bedrock', 'us.anthropic.claude-haiku-5-5'],
    ['vertex', 'claude-haiku-5-5'],
  ]);
  expect(modelProblems(config.providers)).toEqual([]);
});

test('the check fails for the config this replaced (claude-3-5-haiku-latest is retired) and for deprecated models', () => {
  const old = shipped.replace(
    'model: claude-haiku-5-5\n    weight: 0               # fallback only',
    'model: claude-3-5-haiku-latest\n    weight: 0',
  );
  expect(modelProblems(parseLlmConfig(old, everyVariable).providers)).toEqual([
    "anthropic: claude-3-5-haiku-latest is not in @anthropic-ai/sdk's Model list",
  ]);
  const deprecatedOne = Object.keys(deprecated).find((m) => lists.claude.has(m))!;
  const withDeprecated = parseLlmConfig(
    `providers:\n  - {name: v, type: vertex, project: p, region: us-east5, publisher: anthropic, model: "${deprecatedOne}@20250929"}\n`,
    {},
  );
  expect(modelProblems(withDeprecated.providers)).toEqual([`v: ${deprecatedOne} is deprecated (end of life ${deprecated[deprecatedOne]})`]);
  expect(
    modelProblems(
      parseLlmConfig(
        'providers:\n  - {name: g, type: vertex, project: p, region: us-east5, publisher: google, model: gemini-1.0-pro}\n',
        {},
      ).providers,
    ),
  ).toEqual(["g: gemini-1.0-pro is not in @google/genai's model list"]);
});
