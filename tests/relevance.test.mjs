// Ranking quality may not drop: our engine's nDCG@10 on Cranfield and CISI
// (../shared/ir), with the shipped defaults, stays at or above the floors in
// bench/relevance.mjs, which are at or above the relevance issue's targets.
// `make relevance` prints the full table with the peers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COLLECTIONS, FLOORS, TARGETS, evaluate, runOurs } from '../bench/relevance.mjs';

// The shipped defaults, whatever an experiment left in the environment.
delete process.env.RANKING;

for (const [name, load] of Object.entries(COLLECTIONS)) {
  test(`nDCG@10 on ${name} stays at or above ${FLOORS[name]}`, () => {
    assert.ok(FLOORS[name] >= TARGETS[name], `the floor on ${name} is below the issue's target ${TARGETS[name]}`);
    const collection = load();
    const scores = evaluate(collection, runOurs(collection));
    assert.equal(scores.empty, 0, 'every question finds something');
    assert.ok(
      scores.ndcg10 >= FLOORS[name],
      `nDCG@10 on ${name} fell to ${scores.ndcg10.toFixed(4)}, below ${FLOORS[name]}: a ranking change lost quality`,
    );
  });
}
