import {
	fill,
	NESTED_PARAMS,
	parseIngestMessage,
	type IngestMessageCode
} from '../../../ingest/messages.ts';
import type { Locale } from './messages.ts';

/**
 * Ingest messages (a run's error, a rejected row's reason, the upload endpoint's refusals) in the
 * UI language. The database stores them in English, as the loader and the CLI write them
 * (ingest/messages.ts); the portal recognises each text by its template, whether written today
 * or before the codes existed, and renders it from this catalogue. Text no template matches (an
 * engine message passed through) is shown as stored.
 */

const zhCN: Record<IngestMessageCode, string> = {
	'reject.required': '必填，但为空',
	'reject.invalid': '不是有效的{type}：“{value}”',
	'reject.invalidFormat': '不是有效的{type}（应为格式 {format}）：“{value}”',
	'reject.notAllowed': '“{value}”不在允许的取值中：{allowed}',
	'reject.dateRange': '日期超出范围（{min} 至一年后）：“{value}”',
	'reject.unknownRef': '未知的 {column}“{value}”：{refEntity} 中没有这个 {refColumn}',
	'reject.range': '必须在 {min} 到 {max} 之间：“{value}”',
	'reject.tooWide': '该行的值多于表头的列数（{count}）',
	'reject.conflict': '键 {key} 出现在第 {rows} 行，且取值不同',
	'reject.duplicate': '与第 {row} 行完全重复',
	'reject.orderLinesDiffer': '订单 {order}：各明细行的客户、日期、状态、币种、渠道或订单金额不一致',
	'reject.orderIncomplete': '订单 {order}：第 {row} 行的明细被拒绝，订单将不完整',
	'reject.orderRejected': '订单 {order}（第 {row} 行）被拒绝，其明细行一并拒绝',

	'file.unknownFormat':
		'无法从文件名判断 {file} 的格式：请使用 --format csv|tsv|jsonl|parquet（或使用 .csv、.tsv、.jsonl、.parquet 文件名）。',
	'file.missing': '文件 {file} 不存在。',
	'file.notAFile': '{file} 不是文件。',
	'file.empty': '文件 {file} 为空（0 字节），没有可导入的内容。',
	'file.notGzip': '文件 {file} 以 .gz 结尾，但不是 gzip 压缩文件。',
	'file.notZstd': '文件 {file} 以 .zst 结尾，但不是 zstd 压缩文件。',
	'file.compressedUnnamed':
		'文件 {file} 是压缩文件，但文件名没有体现：请将其重命名为以 .gz 或 .zst 结尾。',
	'file.notParquet': '文件 {file} 不是 Parquet 文件（没有 PAR1 文件头）。',
	'file.isParquet': '文件 {file} 是 Parquet 文件，而不是 {format}：请使用 --format parquet 导入。',
	'file.binary':
		'文件 {file} 不是 {format} 文本：其中包含二进制数据（NUL 字节）。请确认文件是否正确，或重新导出为 {format}。',
	'file.unknownEncoding':
		'文件 {file} 既不是 UTF-8 也不是 GBK/GB18030 文本：第 {offset} 字节（第 {line} 行）处的字节 {bytes} 在两种编码中都无效。请另存为 UTF-8（Excel：“CSV UTF-8”），或在映射中设置 "encoding"，按该编码强制导入。',
	'file.zstdGbk': '文件 {file} 是 zstd 压缩的 GBK 文本：请先解压（或另存为 UTF-8）再导入。',
	'file.gbkConversion': '文件 {file} 无法从 GBK 转换为 UTF-8：{detail}',
	'file.unreadable': '文件 {file} 无法按 {format} 读取：{reason}',
	'file.notLoaded': '文件 {file} 无法导入：{reason}',
	'file.duplicateHeader': '文件 {file} 中有两列都名为“{column}”：请重命名其中一列。',
	'file.snapshotEmpty':
		'文件 {file} 中没有有效的 {entity} 行：作为全量快照导入将删除所有已存储的 {entity} 行，因此未做任何更改。请修正文件，或以增量模式导入。',
	'engine.damaged':
		'压缩数据提前结束或已损坏（文件是否在下载时被截断？）。请重新导出或重新复制后再导入。',
	'engine.noData': '无法从中读取表头行或数据。',

	'run.failed': '导入失败：{reason}',
	'run.interrupted': '已中断：进程在导入完成前停止。本次导入没有存储任何数据，请重新导入该文件。',
	'run.rolledForward': '中断后已完成',

	suggest: '是否应为“{name}”？',
	'entity.unknown': '未知实体“{name}”。{suggestion}可用实体：{entities}。',
	'mapping.badJson': '映射文件 {file} 不是有效的 JSON：{detail}',
	'mapping.invalid': '映射文件 {file} 无效：\n{issues}',
	'mapping.unknownEntity': '映射文件 {file}：未知实体“{name}”。{suggestion}可用实体：{entities}。',
	'mapping.otherEntity': '映射文件 {file} 用于“{mappingEntity}”，而不是“{entity}”。',
	'mapping.cannotLoad': '无法将 {fileLabel} 导入为 {entity}：\n{problems}',
	'mapping.cannotLoadWith': '无法使用映射 {mapping} 将 {fileLabel} 导入为 {entity}：\n{problems}',
	'mapping.notAColumn':
		'{from}映射到“{column}”，但 {entity} 没有这一列。{suggestion}可用的列：{columns}。',
	'mapping.twoSources': '{from}和{other}都映射到 {entity}.{column}：请只保留一个。',
	'mapping.sourceMissing': '{fileLabel} 中没有源列“{source}”。{suggestion}文件中的列：{columns}。',
	'mapping.requiredMissing':
		'必填列 {entity}.{column} 没有来源：请将 {fileLabel} 中的某一列以它命名，或将某一列映射到它。{suggestion}',
	'mapping.fromSource': '源列“{name}”',
	'mapping.fromDerived': '“{name}”的派生表达式',
	'mapping.fromHeader': '列“{name}”',
	'label.file': '文件 {path}',

	'derived.refused': '派生列“{column}”（{expr}）：{reason}',
	'derived.oneStatement': '只能是一个表达式（不能含 ";"）。',
	'derived.notExpression': '不是有效的 ClickHouse 表达式：{detail}',
	'derived.shape': '只能是针对一行的一个表达式，不能包含 SELECT、FROM、SETTINGS、表或子查询。',
	'derived.forbidden': '调用了 {function}()，派生列不能使用该函数。',
	'derived.unknownColumn': '引用了“{name}”，但它不是 {file} 中的列。',

	'manifest.missing': '文件夹 {dir} 中没有 {manifest}：它必须列出每个文件及其实体（和映射）。',
	'manifest.badJson': '{file} 不是有效的 JSON：{detail}',
	'manifest.invalid': '{file} 无效：\n{issues}',

	'upload.unknownMode': '未知的导入模式“{mode}”：请使用 incremental 或 snapshot。',
	'upload.unknownFormat': '未知的格式“{format}”：请使用 csv、tsv、jsonl 或 parquet。',
	'upload.badMappingHeader': 'x-mapping 请求头必须是 base64url 编码的 UTF-8 JSON（{detail}）。',
	'upload.noBody': '请求没有正文：请将文件作为请求正文发送。',
	'upload.incomplete': '上传未完成：{detail}',
	'upload.tooLarge':
		'文件超过了 {max} 字节的上传上限（TENURE_MAX_UPLOAD_BYTES）。请提高上限，或使用收件箱文件夹。'
};

/** The value types named in "is not a valid …" reasons (ingest/typing.ts typeLabel). */
const zhTypes: Record<string, string> = {
	text: '文本',
	'date/time': '日期时间',
	date: '日期',
	amount: '金额',
	number: '数字',
	'whole number': '整数',
	'yes/no value': '是/否值'
};

/** An ingest message text in the UI language; English, and unknown text, as stored. */
export function ingestText(locale: Locale, text: string): string {
	if (locale === 'en' || !text) return text;
	return localize(text, false) ?? text;
}

function localize(text: string, fragment: boolean): string | null {
	const parsed = parseIngestMessage(text, fragment);
	if (!parsed) return null;
	const params: Record<string, string> = {};
	for (const [name, value] of Object.entries(parsed.params)) params[name] = param(name, value);
	return fill(zhCN[parsed.code], params);
}

function param(name: string, value: string): string {
	if (name === 'type') return zhTypes[value] ?? value;
	// A bulleted list, one message per line ("  - …").
	if (name === 'problems') {
		return value
			.split('\n')
			.map((line) => {
				const [, bullet, item] = /^(\s*- )([\s\S]*)$/.exec(line) ?? [];
				return bullet !== undefined && item !== undefined
					? bullet + (localize(item, true) ?? item)
					: line;
			})
			.join('\n');
	}
	if (NESTED_PARAMS.has(name) && value) return localize(value, true) ?? value;
	return value;
}
