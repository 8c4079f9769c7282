/**
 * A scripted OpenAI-compatible chat model on loopback, for running the AI agent example without a
 * real model: the first answer asks for the phone tool with fixed arguments, the next one (after
 * the tool result) answers with text that quotes the tool result. Streams when asked to.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
	model?: string;
	stream?: boolean;
	messages: Array<{ role: string; content?: unknown; tool_call_id?: string }>;
	tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: unknown } }>;
}

export interface FakeOpenAi {
	/** Base URL for the n8n OpenAI credential's `url` (ends in /v1). */
	url: string;
	requests: ChatRequest[];
	stop(): Promise<void>;
}

export interface ToolPlan {
	/** Picks the tool to call among those the agent offers. */
	tool: RegExp;
	arguments: Record<string, unknown>;
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function completion(model: string, message: Record<string, unknown>, finishReason: string) {
	return {
		id: `chatcmpl-fake-${Date.now()}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

function sendStream(res: ServerResponse, model: string, message: Record<string, unknown>, finishReason: string): void {
	res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
	const base = { id: `chatcmpl-fake-${Date.now()}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
	const toolCalls = message.tool_calls as Array<Record<string, unknown>> | undefined;
	const delta = toolCalls
		? { role: 'assistant', content: null, tool_calls: toolCalls.map((call, index) => ({ index, ...call })) }
		: { role: 'assistant', content: message.content };
	res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
	res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finishReason }] })}\n\n`);
	res.end('data: [DONE]\n\n');
}

export async function startFakeOpenAi(plan: ToolPlan): Promise<FakeOpenAi> {
	const requests: ChatRequest[] = [];
	const server: Server = createServer((req, res) => {
		void (async () => {
			const body = await readBody(req);
			if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
				res.writeHead(404, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
				return;
			}
			const request = JSON.parse(body) as ChatRequest;
			requests.push(request);
			const model = request.model ?? 'fake';
			const toolResult = request.messages.find((message) => message.role === 'tool');
			let message: Record<string, unknown>;
			let finishReason: string;
			if (toolResult) {
				const content = typeof toolResult.content === 'string' ? toolResult.content : JSON.stringify(toolResult.content);
				message = { role: 'assistant', content: `The call is done. Tool result: ${content}` };
				finishReason = 'stop';
			} else {
				const tool = request.tools?.find((candidate) => plan.tool.test(candidate.function.name));
				if (!tool) {
					res.writeHead(400, { 'Content-Type': 'application/json' });
					res.end(JSON.stringify({ error: { message: `no tool matching ${plan.tool} among ${JSON.stringify(request.tools?.map((t) => t.function.name))}` } }));
					return;
				}
				message = {
					role: 'assistant',
					content: null,
					tool_calls: [
						{
							id: 'call_fake_1',
							type: 'function',
							function: { name: tool.function.name, arguments: JSON.stringify(plan.arguments) },
						},
					],
				};
				finishReason = 'tool_calls';
			}
			if (request.stream) {
				sendStream(res, model, message, finishReason);
			} else {
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify(completion(model, message, finishReason)));
			}
		})().catch((error: unknown) => {
			res.writeHead(500, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ error: { message: String(error) } }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/v1`,
		requests,
		stop: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
