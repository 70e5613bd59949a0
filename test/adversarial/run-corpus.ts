// Registers one node:test test per adversarial case: decided by the shipped policy, compiled by Airlock, run through the SDK.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { before, describe, test } from 'node:test';
import { compilePolicyFolder } from '../../src/policy/compiler.ts';
import { loadCompiledPolicy } from '../../src/policy/compiled-policy.ts';
import type { CompiledPolicy } from '../../src/policy/compiled-policy.ts';
import { DECISION_ENTRYPOINT, readDecision } from '../../src/policy/decision.ts';
import { loadToolRegistry } from '../../src/tools/registry.ts';
import { inputForCase, loadCorpus } from './corpus.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** One evaluation may take at most this long: a hang or a blow-up is a failure, not a slow pass. */
const MAX_EVAL_MS = 2000;

export function registerAdversarialCorpus(): void {
  const corpus = loadCorpus(here('./cases.yaml'));
  const tools = loadToolRegistry(here('./tools.yaml'));
  let policy: CompiledPolicy;

  describe('adversarial corpus through the shipped policy', () => {
    before(async () => {
      policy = await loadCompiledPolicy(await compilePolicyFolder(here('../../policies'), [DECISION_ENTRYPOINT]));
    });

    test('the corpus has at least 60 cases with unique names', () => {
      assert.ok(corpus.cases.length >= 60, `${corpus.cases.length} cases`);
      assert.equal(new Set(corpus.cases.map((c) => c.name)).size, corpus.cases.length);
    });

    for (const c of corpus.cases) {
      test(`${c.expect}: ${c.name}`, () => {
        const input = inputForCase(c, corpus, tools, policy.data);
        const started = performance.now();
        const decision = readDecision(policy.evaluate(input, DECISION_ENTRYPOINT), policy.revision, 0);
        const took = performance.now() - started;
        assert.equal(decision.failClosed, null, `the policy gave no usable decision: ${decision.reasons.join('; ')}`);
        assert.equal(decision.outcome, c.expect, `reasons: ${decision.reasons.join(' | ')}`);
        if (c.reason) {
          assert.ok(decision.reasons.some((r) => r.includes(c.reason!)), `no reason mentions "${c.reason}": ${decision.reasons.join(' | ')}`);
        }
        assert.ok(decision.reasons.length > 0, 'every decision says why');
        assert.ok(took < MAX_EVAL_MS, `evaluation took ${took.toFixed(0)} ms`);
      });
    }
  });
}
