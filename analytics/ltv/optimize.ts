/**
 * Derivative-free minimisation for the LTV models' maximum-likelihood fits.
 *
 * Why Nelder–Mead: the models have three or four parameters and a likelihood that costs one pass
 * over (compressed) customers, so a few thousand evaluations take milliseconds. Gradients would
 * need digamma functions and careful hand derivation for every model; the simplex needs nothing
 * but the function, and the fits optimise over log-parameters so positivity needs no constraints.
 *
 * Why restarts: Nelder–Mead can stall with a collapsed simplex at a point that is not a minimum
 * (McKinnon 1998), and a simplex that has shrunk along a ridge declares convergence early. Starting
 * afresh from the best point with a full-size simplex costs little and either confirms the
 * minimum (no further improvement) or moves on.
 */

export interface NelderMeadOptions {
	/** Edge length of the starting simplex along each coordinate. Default 0.5. */
	readonly initialStep?: number;
	/** Maximum function evaluations over all restarts. Default 20,000. */
	readonly maxEvaluations?: number;
	/** Converged when the simplex's function values span at most this. Default 1e-12. */
	readonly fTolerance?: number;
	/** … and its vertices lie within this distance of the best one (max norm). Default 1e-9. */
	readonly xTolerance?: number;
	/** Restarts from the best point after convergence. Default 3. */
	readonly maxRestarts?: number;
	/** Bounds on every coordinate; points outside count as +Infinity. Default unbounded. */
	readonly lower?: readonly number[];
	readonly upper?: readonly number[];
}

export interface NelderMeadResult {
	readonly x: number[];
	readonly fx: number;
	/** Simplex iterations over all restarts. */
	readonly iterations: number;
	readonly evaluations: number;
	/** Converged to tolerance, and the last restart found no better point. */
	readonly converged: boolean;
}

// Standard coefficients (Lagarias, Reeds, Wright & Wright 1998): reflect, expand, contract, shrink.
const REFLECT = 1;
const EXPAND = 2;
const CONTRACT = 0.5;
const SHRINK = 0.5;

interface Vertex {
	x: number[];
	fx: number;
}

/** Minimises `f` from `x0`. Non-finite values (NaN included) count as +Infinity. */
export function minimizeNelderMead(
	f: (x: readonly number[]) => number,
	x0: readonly number[],
	options: NelderMeadOptions = {}
): NelderMeadResult {
	const n = x0.length;
	const step = options.initialStep ?? 0.5;
	const maxEvaluations = options.maxEvaluations ?? 20_000;
	const fTolerance = options.fTolerance ?? 1e-12;
	const xTolerance = options.xTolerance ?? 1e-9;
	const maxRestarts = options.maxRestarts ?? 3;
	const lower = options.lower ?? [];
	const upper = options.upper ?? [];

	let evaluations = 0;
	const evaluate = (x: number[]): Vertex => {
		evaluations++;
		const outside = x.some((xi, i) => xi < (lower[i] ?? -Infinity) || xi > (upper[i] ?? Infinity));
		const fx = outside ? Infinity : f(x);
		return { x, fx: Number.isFinite(fx) ? fx : Infinity };
	};
	const combine = (from: number[], to: number[], t: number): number[] =>
		from.map((fi, i) => fi + t * (to[i]! - fi));

	let iterations = 0;
	let best = evaluate([...x0]);
	let converged = false;
	for (let restart = 0; restart <= maxRestarts; restart++) {
		const simplex: Vertex[] = [best];
		for (let i = 0; i < n; i++) {
			const x = [...best.x];
			x[i]! += step;
			simplex.push(evaluate(x));
		}
		let runConverged = false;
		while (evaluations < maxEvaluations) {
			simplex.sort((p, q) => p.fx - q.fx);
			const low = simplex[0]!;
			const high = simplex[n]!;
			const spread = high.fx - low.fx;
			const size = Math.max(
				...simplex.map((v) => Math.max(...v.x.map((xi, i) => Math.abs(xi - low.x[i]!))))
			);
			if (spread <= fTolerance && size <= xTolerance) {
				runConverged = true;
				break;
			}
			iterations++;
			const centroid = low.x.map((_, i) => {
				let sum = 0;
				for (let j = 0; j < n; j++) sum += simplex[j]!.x[i]!;
				return sum / n;
			});
			const reflected = evaluate(combine(centroid, high.x, -REFLECT));
			if (reflected.fx < low.fx) {
				const expanded = evaluate(combine(centroid, high.x, -EXPAND));
				simplex[n] = expanded.fx < reflected.fx ? expanded : reflected;
				continue;
			}
			if (reflected.fx < simplex[n - 1]!.fx) {
				simplex[n] = reflected;
				continue;
			}
			// Contract towards the better of the reflected and the worst point.
			const outside = reflected.fx < high.fx;
			const contracted = evaluate(combine(centroid, outside ? reflected.x : high.x, CONTRACT));
			if (contracted.fx < (outside ? reflected.fx : high.fx)) {
				simplex[n] = contracted;
				continue;
			}
			for (let j = 1; j <= n; j++) simplex[j] = evaluate(combine(low.x, simplex[j]!.x, SHRINK));
		}
		simplex.sort((p, q) => p.fx - q.fx);
		const improvement = best.fx - simplex[0]!.fx;
		const isFirstRun = restart === 0;
		best = simplex[0]!.fx <= best.fx ? simplex[0]! : best;
		if (!runConverged) break;
		// A restart that moved the minimum by no more than the tolerance confirms it.
		const confirmed = isFirstRun ? maxRestarts === 0 : improvement <= fTolerance;
		if (confirmed) {
			converged = true;
			break;
		}
	}
	return { x: best.x, fx: best.fx, iterations, evaluations, converged };
}
