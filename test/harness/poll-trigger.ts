import { ExecutionLifecycleHooks, PollContext } from 'n8n-core';
import type { IDataObject, INode, INodeExecutionData, IPollFunctions, WorkflowExecuteMode } from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials-helper';
import { buildAdditionalData, buildWorkflow, type RunOptions, type WorkflowJson } from './run-workflow';

export interface TriggerPoller {
	/** One poll, as n8n's poll job runs it ('trigger') or as "Fetch Test Event" does ('manual'). */
	poll(mode?: WorkflowExecuteMode): Promise<INodeExecutionData[]>;
	/** The workflow's static data, as n8n would save it after a poll. */
	staticData: IDataObject;
}

/** Drives a polling trigger node through n8n-core's own PollContext. */
export function triggerPoller(json: WorkflowJson, nodeName: string, options: RunOptions): TriggerPoller {
	const workflow = buildWorkflow(json, options, true);
	const node = workflow.getNode(nodeName) as INode;
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	if (!nodeType.poll) throw new Error(`${nodeName} is not a polling trigger`);
	const poll = nodeType.poll;

	return {
		staticData: workflow.staticData,
		async poll(mode = 'trigger') {
			const hooks = new ExecutionLifecycleHooks(mode, 'poll-execution', json as never);
			const additionalData = buildAdditionalData(
				hooks,
				new TestCredentialsHelper(options.credentials ?? {}, options.credentialTypes),
			);
			const context = new PollContext(workflow, node, additionalData, mode, 'activate') as IPollFunctions;
			const result = await poll.call(context);
			return result?.[0] ?? [];
		},
	};
}
