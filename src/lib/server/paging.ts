/** `?page=N` (1-based), clamped to the pages that exist. */
export function pageParam(
	url: URL,
	total: number,
	pageSize: number
): { page: number; pages: number; offset: number } {
	const pages = Math.max(1, Math.ceil(total / pageSize));
	const asked = Number.parseInt(url.searchParams.get('page') ?? '1', 10);
	const page = Number.isFinite(asked) ? Math.min(Math.max(1, asked), pages) : 1;
	return { page, pages, offset: (page - 1) * pageSize };
}
