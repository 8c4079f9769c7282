import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialType,
	INode,
	INodeExecutionData,
	INodeType,
	IConnections,
	IRun,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { TestCredentialsHelper, type CredentialsByType } from './credentials-helper';
import { TestNodeTypes } from './node-types';

export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: Record<string, unknown>;
}

export interface RunOptions {
	credentials?: CredentialsByType;
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	credentialTypes: Record<string, ICredentialType>;
	mode?: WorkflowExecuteMode;
	/** Name of the node the run starts at (default: the first node without incoming connections). */
	startNode?: string;
}

export interface WorkflowRun {
	run: IRun;
	/** Items of the node's first output in its last run ([] when it did not run). */
	output(nodeName: string): INodeExecutionData[];
	/** The error a node threw, if it failed. */
	nodeError(nodeName: string): Error | undefined;
}

export interface StartedRun {
	result: Promise<WorkflowRun>;
	/** Cancels the execution the way n8n's "Stop" button does. */
	cancel(): void;
}

/** Runs workflow JSON through n8n-core's WorkflowExecute engine, in this process. */
export function startWorkflow(json: WorkflowJson, options: RunOptions): StartedRun {
	const mode = options.mode ?? 'manual';
	const workflow = buildWorkflow(json, options, false);

	const workflowData = { ...json, id: workflow.id, name: workflow.name ?? '' } as never;
	const hooks = new ExecutionLifecycleHooks(mode, 'test-execution', workflowData);
	const additionalData = buildAdditionalData(
		hooks,
		new TestCredentialsHelper(options.credentials ?? {}, options.credentialTypes),
	);

	const startNode = options.startNode ? workflow.getNode(options.startNode) : findStartNode(json);
	if (!startNode) throw new Error('The workflow has no start node');
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }] },
	});

	const execution = new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
	return {
		result: Promise.resolve(execution).then((run) => toWorkflowRun(run)),
		cancel: () => execution.cancel(),
	};
}

/** n8n's in-memory Workflow for the JSON, with the given node types. */
export function buildWorkflow(json: WorkflowJson, options: Pick<RunOptions, 'nodeTypes'>, active: boolean): Workflow {
	return new Workflow({
		id: json.id ?? 'test-workflow',
		name: json.name ?? 'Test workflow',
		nodes: json.nodes,
		connections: json.connections,
		nodeTypes: new TestNodeTypes(options.nodeTypes),
		settings: json.settings,
		active,
		staticData: {},
	});
}

export async function runWorkflow(json: WorkflowJson, options: RunOptions): Promise<WorkflowRun> {
	return await startWorkflow(json, options).result;
}

function findStartNode(json: WorkflowJson): INode | undefined {
	const destinations = new Set<string>();
	for (const outputs of Object.values(json.connections)) {
		for (const connections of outputs.main ?? []) {
			for (const connection of connections ?? []) destinations.add(connection.node);
		}
	}
	return json.nodes.find((node) => !destinations.has(node.name) && node.type !== 'n8n-nodes-base.stickyNote');
}

function toWorkflowRun(run: IRun): WorkflowRun {
	const runData = run.data.resultData.runData;
	const lastRun = (nodeName: string) => runData[nodeName]?.[runData[nodeName].length - 1];
	return {
		run,
		output: (nodeName) => lastRun(nodeName)?.data?.main?.[0] ?? [],
		nodeError: (nodeName) => lastRun(nodeName)?.error as Error | undefined,
	};
}

export function buildAdditionalData(
	hooks: ExecutionLifecycleHooks,
	credentialsHelper: TestCredentialsHelper,
): IWorkflowExecuteAdditionalData {
	const unused = (what: string) => () => {
		throw new Error(`${what} is not available in workflow tests`);
	};
	return {
		hooks,
		credentialsHelper,
		executeWorkflow: unused('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: unused('startRunnerTask'),
		logAiEvent: () => {},
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		variables: {},
		userId: 'test-user',
	} as unknown as IWorkflowExecuteAdditionalData;
}
