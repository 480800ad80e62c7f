import { op, withAttributes, type WeftClient } from '../../src/index.js';

/**
 * Data for the browser tests, sent through the SDK like a user's app would: a small RAG app's traces
 * (nested, with token usage, one failing), and two evaluations of the agreed evaluation shape built from
 * plain ops (`Evaluation.evaluate` eager, one `Evaluation.predict_and_score` per example).
 */

export const QUESTIONS = [
  'What is weft?',
  'How do I flush pending calls?',
  'What is the capital of France?',
  'Which store does weft serve use?',
];

const rerank = op(async function rerank(docs: string[]) {
  return [...docs].reverse();
});
const retrieve = op(async function retrieve(query: string, k = 2) {
  const docs = [`doc about ${query.split(' ')[2] ?? 'weft'}`, 'weft README', 'SDK guide'].slice(0, k);
  return rerank(docs);
});
const generate = op(async function generate(question: string, docs: string[]) {
  if (question.includes('capital')) throw new Error('model timeout after 30 s');
  return {
    model: 'gpt-x',
    text: `Answer to "${question}" using ${docs.length} documents.`,
    usage: { prompt_tokens: 100 + question.length, completion_tokens: 20, cost_usd: 0.0015 },
  };
});
export const answer = op(async function answer(question: string) {
  const docs = await retrieve(question);
  const out = await generate(question, docs);
  return out.text;
});

/** A few traces of the RAG app (one fails), flushed. */
export async function seedTraces(client: WeftClient): Promise<void> {
  for (const q of QUESTIONS) {
    await withAttributes({ env: 'test', user: 'ada' }, () => answer(q)).catch(() => null);
  }
  await client.flush();
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Starts an eager `agent_loop` call that runs until `release()`; its start (and a finished child) are
 * flushed, so the server shows it running. `done` resolves once its end has been flushed too.
 */
export async function startRunningAgent(
  client: WeftClient,
): Promise<{ release: () => void; done: Promise<void> }> {
  const gate = deferred();
  const plan = op(async function plan(goal: string) {
    return [`search ${goal}`, 'summarise'];
  });
  const agentLoop = op(
    async function agent_loop(goal: string) {
      const steps = await plan(goal);
      await gate.promise;
      return { steps, result: 'done' };
    },
    { eagerCallStart: true },
  );
  const running = agentLoop('book a trip');
  await client.flush();
  const done = running.then(async () => {
    await client.flush();
  });
  return { release: gate.resolve, done };
}

interface EvalSpec {
  name: string;
  model: string;
  /** Answers per question; a question missing here makes the model throw. */
  answers: Record<string, string>;
}

const DATASET = [
  { question: 'What is 2 + 2?', expected: '4' },
  { question: 'Capital of France?', expected: 'Paris' },
  { question: 'Colour of the sky?', expected: 'blue' },
  { question: 'Largest planet?', expected: 'Jupiter' },
];

/** An evaluation in the agreed shape, run through plain ops, and flushed. */
export async function seedEvaluation(client: WeftClient, spec: EvalSpec): Promise<void> {
  const answerQuestion = op(async function answerQuestion(question: string) {
    const a = spec.answers[question];
    if (a === undefined) throw new Error(`no answer for ${question}`);
    return a;
  });
  const exact_match = op(async function exact_match(output: string, expected: string) {
    return output.trim().toLowerCase() === expected.toLowerCase();
  });
  const judge = op(async function judge(output: string, expected: string) {
    return { relevance: output.toLowerCase().includes(expected.toLowerCase()) ? 0.9 : 0.2 };
  });
  const predictAndScore = op(
    async function predict_and_score(
      example: { question: string; expected: string },
      row_index: number,
      trial: number,
    ) {
      void row_index;
      void trial;
      const t0 = Date.now();
      const output = await answerQuestion(example.question);
      const latency = Date.now() - t0;
      const scores = {
        exact_match: await exact_match(output, example.expected),
        judge: await judge(output, example.expected),
      };
      return { output, scores, model_latency_ms: latency };
    },
    { name: 'Evaluation.predict_and_score' },
  );
  type Evaluation = { name: string; scorers: string[]; dataset: unknown; trials: number };
  const evaluate = op(
    async function evaluate(evaluation: Evaluation, model: { name: string }) {
      void evaluation;
      void model;
      const results: {
        scores: { exact_match: boolean; judge: { relevance: number } };
        model_latency_ms: number;
      }[] = [];
      let errors = 0;
      for (const [i, example] of DATASET.entries()) {
        try {
          results.push(await predictAndScore(example, i, 0));
        } catch {
          errors += 1;
        }
      }
      const trues = results.filter((r) => r.scores.exact_match).length;
      const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
      const latencies = results.map((r) => r.model_latency_ms).sort((a, b) => a - b);
      return {
        scores: {
          exact_match: { true_fraction: results.length ? trues / results.length : 0, true_count: trues },
          judge: { relevance: { mean: mean(results.map((r) => r.scores.judge.relevance)) } },
        },
        example_count: DATASET.length,
        error_count: errors,
        model_latency_ms: {
          mean: mean(latencies),
          p50: latencies[Math.floor(latencies.length / 2)] ?? 0,
          p95: latencies[latencies.length - 1] ?? 0,
        },
      };
    },
    {
      name: 'Evaluation.evaluate',
      eagerCallStart: true,
      callDisplayName: (inputs) => (inputs.evaluation as Evaluation).name,
    },
  );
  await withAttributes({ weft: { kind: 'evaluation', evaluation_name: spec.name } }, () =>
    evaluate(
      {
        name: spec.name,
        scorers: ['exact_match', 'judge'],
        dataset: { name: 'trivia', row_count: DATASET.length, digest: 'd1' },
        trials: 1,
      },
      { name: spec.model },
    ),
  );
  await client.flush();
}

/** The two evaluations the tests compare: the second is better on every example. */
export async function seedEvaluations(client: WeftClient): Promise<void> {
  await seedEvaluation(client, {
    name: 'trivia-baseline',
    model: 'small-model',
    answers: { 'What is 2 + 2?': '4', 'Capital of France?': 'Lyon', 'Colour of the sky?': 'blue' },
  });
  await seedEvaluation(client, {
    name: 'trivia-improved',
    model: 'large-model',
    answers: {
      'What is 2 + 2?': '4',
      'Capital of France?': 'Paris',
      'Colour of the sky?': 'Blue',
      'Largest planet?': 'Jupiter',
    },
  });
}
