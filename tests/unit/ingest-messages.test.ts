import { describe, expect, test } from 'vitest';
import {
	INGEST_MESSAGES,
	ingestMessage,
	parseIngestMessage,
	sqlMessage,
	type IngestMessageCode
} from '../../ingest/messages.ts';
import { ingestText } from '../../src/lib/i18n/ingest-messages.ts';

const codes = Object.keys(INGEST_MESSAGES) as IngestMessageCode[];
const paramNames = (template: string) =>
	[...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();
/** A value like the loader's for each parameter, with dots, quotes and colons where text may have them. */
const sample = (name: string) =>
	/^(count|row|offset|line|max)$/.test(name)
		? '12'
		: name === 'entity'
			? 'order_lines'
			: name === 'suggestion'
				? ingestMessage('suggest', { name: "it's.x" })
				: `<${name}.a b-"c">`;

describe('the message catalogue', () => {
	test.each(codes)('%s reads back as itself from its English text', (code) => {
		const params = Object.fromEntries(
			paramNames(INGEST_MESSAGES[code]).map((name) => [name, sample(name)])
		);
		const fragment = !parseIngestMessage(ingestMessage(code, params));
		expect(parseIngestMessage(ingestMessage(code, params), fragment)).toEqual({ code, params });
	});

	test('free text in the last parameter may contain anything', () => {
		const value = 'a: "b", \'c\'\nd"';
		const text = ingestMessage('reject.invalid', { type: 'amount', value });
		expect(parseIngestMessage(text)).toEqual({
			code: 'reject.invalid',
			params: { type: 'amount', value }
		});
	});

	test('every zh-CN text has exactly the English parameters', () => {
		for (const code of codes) {
			const params = Object.fromEntries(
				paramNames(INGEST_MESSAGES[code]).map((name) => [name, `⟨${name}⟩`])
			);
			const zh = ingestText('zh-CN', ingestMessage(code, params));
			for (const name of Object.keys(params)) expect(zh, code).toContain(`⟨${name}⟩`);
			expect(zh, code).not.toMatch(/\{\w+\}/);
		}
	});

	test('a per-row message in SQL quotes its fixed text and inlines the row expressions', () => {
		expect(
			sqlMessage('reject.invalidFormat', { value: '_raw_x' }, { type: 'date', format: "%d'%m\\" })
		).toBe(`concat('is not a valid date (expected format %d\\'%m\\\\): "', _raw_x, '"')`);
		expect(sqlMessage('reject.required')).toBe(`'is required but empty'`);
		expect(() => sqlMessage('reject.duplicate')).toThrow('no value for {row}');
	});
});

describe('ingest messages in the UI language', () => {
	// Texts exactly as the loader stored them before the codes existed (tests/integration).
	const stored: [string, string][] = [
		['row has more values than the header has columns (3)', '该行的值多于表头的列数（3）'],
		['is not a valid amount: "abc"', '不是有效的金额：“abc”'],
		[
			'is not a valid date/time (expected format %Y-%m-%d): "2025-02-30"',
			'不是有效的日期时间（应为格式 %Y-%m-%d）：“2025-02-30”'
		],
		[
			'unknown account_id "NOBODY": there is no such account_id in accounts',
			'未知的 account_id“NOBODY”：accounts 中没有这个 account_id'
		],
		['key K-1 appears in rows 1, 3 with different values', '键 K-1 出现在第 1, 3 行，且取值不同'],
		['exact duplicate of row 2', '与第 2 行完全重复'],
		['is required but empty', '必填，但为空'],
		[
			"Unknown entity 'acounts'. Did you mean 'accounts'? Entities: 'owners', 'accounts'.",
			"未知实体“acounts”。是否应为“accounts”？可用实体：'owners', 'accounts'。"
		],
		[
			'File /d/cut.csv.gz could not be loaded: the compressed data ends early or is damaged (was the file cut off during download?). Re-export or re-copy it and load again.',
			'文件 /d/cut.csv.gz 无法导入：压缩数据提前结束或已损坏（文件是否在下载时被截断？）。请重新导出或重新复制后再导入。'
		],
		[
			`Derived column 'segment' ("name; DROP TABLE accounts"): must be a single expression (no ";").`,
			`派生列“segment”（"name; DROP TABLE accounts"）：只能是一个表达式（不能含 ";"）。`
		],
		[
			'Interrupted: the process stopped before the load finished. Nothing from this run was stored; load the file again.',
			'已中断：进程在导入完成前停止。本次导入没有存储任何数据，请重新导入该文件。'
		]
	];
	test.each(stored)('%s', (en, zh) => {
		expect(ingestText('zh-CN', en)).toBe(zh);
		expect(ingestText('en', en)).toBe(en);
	});

	test('a list of mapping problems is rendered item by item', () => {
		const en = [
			'Cannot load file /d/客户.csv as accounts with mapping m.json:',
			"  - source column '客户编码' is not in file /d/客户.csv. Did you mean '客户编号'? The file's columns: '客户编号', 'name'.",
			"  - both source column 'a' and derived expression for 'segment' map to accounts.segment; keep one of them.",
			'  - required column accounts.name has no source: name a column of file /d/客户.csv after it or map one to it.'
		].join('\n');
		expect(ingestText('zh-CN', en)).toBe(
			[
				'无法使用映射 m.json 将 文件 /d/客户.csv 导入为 accounts：',
				"  - 文件 /d/客户.csv 中没有源列“客户编码”。是否应为“客户编号”？文件中的列：'客户编号', 'name'。",
				'  - 源列“a”和“segment”的派生表达式都映射到 accounts.segment：请只保留一个。',
				'  - 必填列 accounts.name 没有来源：请将 文件 /d/客户.csv 中的某一列以它命名，或将某一列映射到它。'
			].join('\n')
		);
	});

	test('text no template produces, such as an engine message, is shown as stored', () => {
		const engine = 'Load failed: Code: 241. DB::Exception: Memory limit (total) exceeded';
		expect(ingestText('zh-CN', engine)).toBe(
			'导入失败：Code: 241. DB::Exception: Memory limit (total) exceeded'
		);
		expect(ingestText('zh-CN', 'DB::Exception: something new')).toBe(
			'DB::Exception: something new'
		);
		// Pieces of messages are recognised only inside a message.
		expect(ingestText('zh-CN', "column 'x'")).toBe("column 'x'");
		expect(ingestText('zh-CN', '')).toBe('');
	});
});
