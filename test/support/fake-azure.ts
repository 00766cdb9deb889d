// A fake Azure OpenAI resource on 127.0.0.1: classic deployments and the v1 path, api-key or Entra ID bearer tokens.
import type { ErrorObject } from 'openai/resources/shared';
import type { FakeIssuer } from './fake-identity';
import { chatCompletion, checkChatBody, openaiAnswer } from './fake-openai';
import { type FakeStep, type FakeUpstream, type RecordedRequest, startFakeUpstream } from './fake-upstream';

/** Azure's error envelope: OpenAI's ErrorObject fields, with Azure's codes (and `innererror` for content filtering). */
type AzureError = Partial<ErrorObject> & {
  code: string;
  message: string;
  innererror?: { code: string; content_filter_result?: Record<string, unknown> };
};

export const azureError = (status: number, error: AzureError): FakeStep => ({ status, json: { error } });

/** The prompt itself tripped the content filter: Azure answers 400 with code content_filter. */
export const azurePromptFiltered = (): FakeStep =>
  azureError(400, {
    code: 'content_filter',
    message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
    param: 'prompt',
    innererror: {
      code: 'ResponsibleAIPolicyViolation',
      content_filter_result: { self_harm: { filtered: true, severity: 'medium' }, hate: { filtered: false, severity: 'safe' } },
    },
  });

/** The completion tripped it: 200 with finish_reason content_filter and no content. */
export const azureCompletionFiltered = (): FakeStep => ({ status: 200, json: chatCompletion(null, { finish: 'content_filter' }) });

export const SUPPORTED_API_VERSIONS = ['2024-06-01', '2024-10-21', '2025-04-01-preview'];

export interface AzureSpec {
  /** deployment name → model behind it. */
  deployments: Record<string, string>;
  /** Accepted api-key; undefined: keys are disabled (Entra ID only). */
  apiKey?: string;
  /** Accepts bearer tokens this issuer handed out and has not revoked. */
  entra?: FakeIssuer;
}

function authProblem(req: RecordedRequest, spec: AzureSpec): FakeStep | null {
  const key = req.headers['api-key'];
  const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
  if (key !== undefined) {
    if (spec.apiKey !== undefined && key === spec.apiKey) return null;
    return azureError(401, {
      code: '401',
      message:
        'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
    });
  }
  if (bearer !== undefined && spec.entra) {
    if (spec.entra.valid(bearer)) return null;
    return azureError(401, { code: 'InvalidAuthenticationToken', message: 'The access token is invalid or has expired.' });
  }
  return azureError(401, { code: 'PermissionDenied', message: 'Access denied due to missing subscription key or authentication token.' });
}

/** Checks path, api-version, auth and body of every request; answers as Azure does for each problem. */
export async function startFakeAzure(spec: AzureSpec): Promise<FakeUpstream> {
  return startFakeUpstream({
    defaultStep: { reply: (req) => openaiAnswer(`answer ${req.index}`, { model: modelOf(req, spec) }) },
    validate: (req) => {
      const url = new URL(req.path, 'http://x');
      if (typeof req.headers['x-audit-event-id'] !== 'string')
        return azureError(400, { code: 'test', message: 'no X-Audit-Event-Id (shiftnote must send one)' });
      const classic = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(url.pathname);
      const v1 = url.pathname === '/openai/v1/chat/completions';
      if (!classic && !v1) return azureError(404, { code: '404', message: 'Resource not found' });
      if (classic) {
        const version = url.searchParams.get('api-version');
        if (version === null) return azureError(404, { code: '404', message: 'Resource not found' });
        if (!SUPPORTED_API_VERSIONS.includes(version))
          return azureError(404, { code: 'NotFound', message: `API version not supported: ${version}` });
      }
      const auth = authProblem(req, spec);
      if (auth) return auth;
      const deployment = classic ? decodeURIComponent(classic[1]) : (req.json as { model?: unknown } | undefined)?.model;
      const model = typeof deployment === 'string' ? spec.deployments[deployment] : undefined;
      if (model === undefined) {
        return azureError(404, {
          code: 'DeploymentNotFound',
          message:
            'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
        });
      }
      // The deployment's model decides the parameter rules; on v1 the body's model is the deployment name.
      const body = v1 ? { ...(req.json as object), model } : req.json;
      return checkChatBody(body, { models: [model], requireModel: v1, deploymentModel: model });
    },
  });
}

function modelOf(req: RecordedRequest, spec: AzureSpec): string {
  const classic = /\/deployments\/([^/?]+)\//.exec(req.path);
  const name = classic ? decodeURIComponent(classic[1]) : String((req.json as { model?: unknown })?.model);
  return spec.deployments[name] ?? name;
}
