import { expect, test } from 'vitest';
import { didYouMean, listOf } from '../../ingest/errors.ts';

test('didYouMean suggests a close candidate, in its own spelling', () => {
	expect(didYouMean('acounts', ['owners', 'accounts', 'contacts'])).toBe(
		" Did you mean 'accounts'?"
	);
	expect(didYouMean('ACCOUNT_ID', ['Account_Id', 'name'])).toBe(" Did you mean 'Account_Id'?");
	expect(didYouMean('客户编码', ['客户编号', '客户名称'])).toBe(" Did you mean '客户编号'?");
});

test('didYouMean stays quiet when nothing is close', () => {
	expect(didYouMean('invoices', ['owners', 'accounts'])).toBe('');
	expect(didYouMean('x', [])).toBe('');
	// Short words allow two edits, longer ones half their length: "ordr" → "orders" is 2 edits.
	expect(didYouMean('ordr', ['orders'])).toBe(" Did you mean 'orders'?");
	expect(didYouMean('abc', ['xyzw'])).toBe('');
});

test('listOf quotes each name', () => {
	expect(listOf(['a', 'b c'])).toBe("'a', 'b c'");
	expect(listOf([])).toBe('');
});
