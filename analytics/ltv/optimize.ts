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

export interface BfgsOptions {
	/** Converged when every gradient component is at most this in absolute value. Default 1e-8. */
	readonly gTolerance?: number;
	/** Default 200. */
	readonly maxIterations?: number;
	/** Longest step along any coordinate in one iteration. Default 1. */
	readonly maxStep?: number;
	/** Bounds on every coordinate; points outside count as +Infinity. Default unbounded. */
	readonly lower?: readonly number[];
	readonly upper?: readonly number[];
}

export interface BfgsResult {
	readonly x: number[];
	readonly fx: number;
	readonly iterations: number;
	readonly evaluations: number;
	/** The gradient met the tolerance. */
	readonly converged: boolean;
	/** Stopped short of the tolerance because no step decreased f beyond rounding. */
	readonly stalled: boolean;
	/** max |gradient component| at x. */
	readonly gradientNorm: number;
}

export interface ValueAndGradient {
	readonly f: number;
	readonly g: readonly number[];
}

// Armijo's sufficient-decrease constant and the backtracking limit of the line search.
const ARMIJO = 1e-4;
const MAX_BACKTRACKS = 40;

/**
 * Quasi-Newton minimisation (BFGS with a backtracking line search) for smooth functions with an
 * analytic gradient. Why, next to Nelder–Mead: with a gradient, a few dozen evaluations reach a
 * minimum that the simplex needs hundreds for — which matters when one evaluation is a pass over a
 * million customers. It is started from a point the simplex found on a sample (see at-scale.ts).
 */
export function minimizeBfgs(
	fg: (x: readonly number[]) => ValueAndGradient,
	x0: readonly number[],
	options: BfgsOptions = {}
): BfgsResult {
	const n = x0.length;
	const gTolerance = options.gTolerance ?? 1e-8;
	const maxIterations = options.maxIterations ?? 200;
	const maxStep = options.maxStep ?? 1;
	const lower = options.lower ?? [];
	const upper = options.upper ?? [];
	const inside = (x: readonly number[]) =>
		x.every((xi, i) => xi >= (lower[i] ?? -Infinity) && xi <= (upper[i] ?? Infinity));
	const norm = (g: readonly number[]) => Math.max(...g.map(Math.abs));
	const identity = (): number[][] =>
		Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));

	let evaluations = 0;
	const evaluate = (x: number[]): { x: number[]; f: number; g: readonly number[] } => {
		evaluations++;
		if (!inside(x)) return { x, f: Infinity, g: [] };
		const { f, g } = fg(x);
		const finite = Number.isFinite(f) && g.every(Number.isFinite);
		return { x, f: finite ? f : Infinity, g };
	};

	let current = evaluate([...x0]);
	if (current.f === Infinity) {
		return {
			x: [...x0],
			fx: Infinity,
			iterations: 0,
			evaluations,
			converged: false,
			stalled: false,
			gradientNorm: Infinity
		};
	}
	let h = identity(); // inverse Hessian approximation
	let scaled = false;
	let iterations = 0;
	let converged = false;
	let stalled = false;
	while (iterations < maxIterations) {
		const g = current.g;
		if (norm(g) <= gTolerance) {
			converged = true;
			break;
		}
		iterations++;
		let p = h.map((row) => -row.reduce((s, hij, j) => s + hij * g[j]!, 0));
		let slope = p.reduce((s, pi, i) => s + pi * g[i]!, 0);
		if (!(slope < 0)) {
			h = identity();
			scaled = false;
			p = g.map((gi) => -gi);
			slope = -g.reduce((s, gi) => s + gi * gi, 0);
		}
		const longest = norm(p);
		if (longest > maxStep) {
			p = p.map((pi) => (pi * maxStep) / longest);
			slope *= maxStep / longest;
		}
		let t = 1;
		let next: ReturnType<typeof evaluate> | null = null;
		for (let k = 0; k < MAX_BACKTRACKS; k++, t /= 2) {
			const trial = evaluate(current.x.map((xi, i) => xi + t * p[i]!));
			if (trial.f <= current.f + ARMIJO * t * slope) {
				next = trial;
				break;
			}
		}
		if (!next) {
			// No decrease along a quasi-Newton direction: retry once along the gradient, else stop
			// (at the noise floor of f, where no step decreases it measurably).
			if (scaled) {
				h = identity();
				scaled = false;
				continue;
			}
			stalled = true;
			break;
		}
		// A step that changes f by no more than rounding is no progress either.
		if (current.f - next.f <= 4 * Number.EPSILON * Math.abs(current.f)) {
			current = next.f < current.f ? next : current;
			stalled = true;
			break;
		}
		const s = next.x.map((xi, i) => xi - current.x[i]!);
		const y = next.g.map((gi, i) => gi - g[i]!);
		const sy = s.reduce((acc, si, i) => acc + si * y[i]!, 0);
		const yy = y.reduce((acc, yi) => acc + yi * yi, 0);
		if (sy > 1e-12 * Math.sqrt(s.reduce((acc, si) => acc + si * si, 0) * yy)) {
			if (!scaled) {
				// Scale the first approximation to the curvature just seen (Nocedal & Wright 6.20).
				h = h.map((row) => row.map((v) => (v * sy) / yy));
				scaled = true;
			}
			// H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
			const rho = 1 / sy;
			const hy = h.map((row) => row.reduce((acc, v, j) => acc + v * y[j]!, 0));
			const yhy = y.reduce((acc, yi, i) => acc + yi * hy[i]!, 0);
			h = h.map((row, i) =>
				row.map(
					(v, j) =>
						v - rho * (hy[i]! * s[j]! + s[i]! * hy[j]!) + (rho * rho * yhy + rho) * s[i]! * s[j]!
				)
			);
		}
		current = next;
	}
	return {
		x: current.x,
		fx: current.f,
		iterations,
		evaluations,
		converged,
		stalled,
		gradientNorm: norm(current.g)
	};
}
