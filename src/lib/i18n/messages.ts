/**
 * Every user-visible string of the portal, in Simplified Chinese and English. `en` defines the
 * keys; `zh-CN` must provide every one of them (the type checker enforces it).
 */

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

const en = {
	'app.name': 'Tenure',
	'app.tagline': 'Customer health analytics',

	'nav.home': 'Data status',
	'nav.ingest': 'Data import',
	'nav.signOut': 'Sign out',
	'nav.language': 'Language',
	'nav.main': 'Main navigation',
	'lang.zh-CN': '中文',
	'lang.en': 'English',

	'login.title': 'Sign in to Tenure',
	'login.email': 'E-mail',
	'login.password': 'Password',
	'login.submit': 'Sign in',
	'login.submitting': 'Signing in…',
	'login.hint': 'On first start, the administrator password is printed in the server log.',
	'login.error.invalid': 'The e-mail address or password is incorrect.',
	'login.error.missing': 'Enter your e-mail address and password.',
	'login.error.tooMany': 'Too many failed sign-in attempts. Please wait a minute and try again.',

	'home.title': 'Data status',
	'home.subtitle': 'What has been loaded into Tenure, per entity, and the latest loads.',
	'home.card.accounts': 'Accounts',
	'home.card.rows': 'Rows in all entities',
	'home.card.lastLoad': 'Last successful load',
	'home.card.failed': 'Recent failed loads',
	'home.entities': 'Entities',
	'home.lastLoadAt': 'Loaded {time}',
	'home.never': 'Never',
	'home.latestRuns': 'Latest loads',
	'home.allRuns': 'All loads',
	'home.empty': 'No data has been loaded yet. An administrator can upload files under Data import.',

	'runs.col.status': 'Status',
	'runs.col.entity': 'Entity',
	'runs.col.file': 'File',
	'runs.col.read': 'Read',
	'runs.col.new': 'New',
	'runs.col.updated': 'Updated',
	'runs.col.unchanged': 'Unchanged',
	'runs.col.rejected': 'Rejected',
	'runs.col.deleted': 'Deleted',
	'runs.col.duration': 'Duration',
	'runs.col.started': 'Started',
	'runs.none': 'No loads yet.',
	'runs.open': 'Open load {file}',

	'status.running': 'Running',
	'status.committing': 'Committing',
	'status.succeeded': 'Succeeded',
	'status.failed': 'Failed',

	'mode.incremental': 'Incremental',
	'mode.snapshot': 'Full snapshot',

	'ingest.title': 'Data import',
	'ingest.subtitle':
		'Upload an export file, or drop files into the inbox folder on the server. Loads run one at a time.',
	'ingest.inbox': 'Inbox folder: {path}',
	'ingest.queue.running': 'Running now: {label}',
	'ingest.queue.waiting': '{n} waiting',
	'ingest.runs': 'Load history',
	'ingest.upload.title': 'Upload a file',
	'ingest.upload.entity': 'Entity',
	'ingest.upload.file': 'Data file',
	'ingest.upload.fileHelp': 'CSV, TSV, JSONL or Parquet, optionally compressed (.gz, .zst).',
	'ingest.upload.mapping': 'Column mapping (optional)',
	'ingest.upload.mappingHelp':
		'A mapping JSON file that maps the file’s headers to the entity’s columns.',
	'ingest.upload.mode': 'Mode',
	'ingest.upload.modeHelp.incremental': 'Adds new rows and updates changed ones.',
	'ingest.upload.modeHelp.snapshot':
		'The file is the complete set: stored rows missing from it are deleted.',
	'ingest.upload.choose': 'Choose file…',
	'ingest.upload.noFile': 'No file chosen',
	'ingest.upload.clear': 'Remove',
	'ingest.upload.submit': 'Upload and load',
	'ingest.upload.uploading': 'Uploading… {percent}',
	'ingest.upload.processing': 'Upload complete. Loading the file…',
	'ingest.upload.succeeded': 'Load succeeded',
	'ingest.upload.failed': 'Load failed',
	'ingest.upload.viewRun': 'View the load',
	'ingest.upload.ignored': 'Columns not used: {columns}',
	'ingest.upload.firstRejects': 'First rejected rows',
	'ingest.upload.error.noFile': 'Choose a file to upload.',
	'ingest.upload.error.mapping': 'The mapping file is not valid JSON: {message}',
	'ingest.upload.error.network': 'The upload was interrupted (network error). Try again.',
	'ingest.upload.error.server': 'The server answered {status}: {message}',

	'run.title': 'Load details',
	'run.back': 'Back to data import',
	'run.summary': 'Summary',
	'run.entity': 'Entity',
	'run.file': 'File',
	'run.format': 'Format',
	'run.mode': 'Mode',
	'run.mapping': 'Mapping',
	'run.noMapping': 'None (headers match column names)',
	'run.bytes': 'File size',
	'run.hash': 'SHA-256',
	'run.triggeredBy': 'Triggered by',
	'run.started': 'Started',
	'run.finished': 'Finished',
	'run.duration': 'Duration',
	'run.tables': 'Per table',
	'run.ignored': 'Columns not used',
	'run.error': 'Error',
	'run.rejects': 'Rejected rows',
	'run.rejects.none': 'No rows were rejected.',
	'run.rejects.row': 'Row',
	'run.rejects.column': 'Column',
	'run.rejects.reason': 'Reason',
	'run.rejects.raw': 'Raw values',

	'pager.label': 'Pages',
	'pager.prev': 'Previous',
	'pager.next': 'Next',
	'pager.page': 'Page {page} of {pages}',

	'error.title': 'Something went wrong',
	'error.401': 'Please sign in.',
	'error.403': 'You do not have access to this page.',
	'error.404': 'This page does not exist.',
	'error.500': 'An internal error occurred. Please try again later.',
	'error.reference': 'Reference: {id}',
	'error.home': 'Back to the home page',

	'entity.owners': 'Owners',
	'entity.accounts': 'Accounts',
	'entity.contacts': 'Contacts',
	'entity.activities': 'Activities',
	'entity.products': 'Products',
	'entity.orders': 'Orders',
	'entity.order_lines': 'Order lines',
	'entity.order_lines_flat': 'Order lines (flat export)',
	'entity.invoices': 'Invoices',
	'entity.payments': 'Payments',
	'entity.subscriptions': 'Subscriptions',
	'entity.tickets': 'Tickets',
	'entity.survey_responses': 'Survey responses',
	'entity.usage_daily': 'Daily usage'
} as const;

export type MessageKey = keyof typeof en;

const zhCN: Record<MessageKey, string> = {
	'app.name': 'Tenure',
	'app.tagline': '客户健康分析',

	'nav.home': '数据状态',
	'nav.ingest': '数据导入',
	'nav.signOut': '退出登录',
	'nav.language': '语言',
	'nav.main': '主导航',
	'lang.zh-CN': '中文',
	'lang.en': 'English',

	'login.title': '登录 Tenure',
	'login.email': '邮箱',
	'login.password': '密码',
	'login.submit': '登录',
	'login.submitting': '正在登录…',
	'login.hint': '首次启动时，管理员密码会打印在服务器日志中。',
	'login.error.invalid': '邮箱或密码不正确。',
	'login.error.missing': '请输入邮箱和密码。',
	'login.error.tooMany': '登录失败次数过多，请一分钟后再试。',

	'home.title': '数据状态',
	'home.subtitle': '各数据实体已导入的数据量及最近的导入记录。',
	'home.card.accounts': '客户数',
	'home.card.rows': '全部实体总行数',
	'home.card.lastLoad': '最近一次成功导入',
	'home.card.failed': '近期失败的导入',
	'home.entities': '数据实体',
	'home.lastLoadAt': '最近导入：{time}',
	'home.never': '从未导入',
	'home.latestRuns': '最近导入',
	'home.allRuns': '全部导入记录',
	'home.empty': '尚未导入任何数据。管理员可在“数据导入”页面上传文件。',

	'runs.col.status': '状态',
	'runs.col.entity': '实体',
	'runs.col.file': '文件',
	'runs.col.read': '读取',
	'runs.col.new': '新增',
	'runs.col.updated': '更新',
	'runs.col.unchanged': '未变化',
	'runs.col.rejected': '拒绝',
	'runs.col.deleted': '删除',
	'runs.col.duration': '耗时',
	'runs.col.started': '开始时间',
	'runs.none': '还没有导入记录。',
	'runs.open': '打开导入记录 {file}',

	'status.running': '进行中',
	'status.committing': '提交中',
	'status.succeeded': '成功',
	'status.failed': '失败',

	'mode.incremental': '增量',
	'mode.snapshot': '全量快照',

	'ingest.title': '数据导入',
	'ingest.subtitle': '上传导出文件，或将文件放入服务器上的收件箱文件夹。导入任务逐个执行。',
	'ingest.inbox': '收件箱文件夹：{path}',
	'ingest.queue.running': '正在执行：{label}',
	'ingest.queue.waiting': '{n} 个排队中',
	'ingest.runs': '导入历史',
	'ingest.upload.title': '上传文件',
	'ingest.upload.entity': '数据实体',
	'ingest.upload.file': '数据文件',
	'ingest.upload.fileHelp': 'CSV、TSV、JSONL 或 Parquet，可为 .gz / .zst 压缩文件。',
	'ingest.upload.mapping': '字段映射（可选）',
	'ingest.upload.mappingHelp': '映射 JSON 文件，将文件的列名对应到实体的字段。',
	'ingest.upload.mode': '导入模式',
	'ingest.upload.modeHelp.incremental': '新增记录并更新已变化的记录。',
	'ingest.upload.modeHelp.snapshot': '文件即完整数据：已存储但文件中没有的记录将被删除。',
	'ingest.upload.choose': '选择文件…',
	'ingest.upload.noFile': '未选择文件',
	'ingest.upload.clear': '移除',
	'ingest.upload.submit': '上传并导入',
	'ingest.upload.uploading': '正在上传… {percent}',
	'ingest.upload.processing': '上传完成，正在导入文件…',
	'ingest.upload.succeeded': '导入成功',
	'ingest.upload.failed': '导入失败',
	'ingest.upload.viewRun': '查看导入详情',
	'ingest.upload.ignored': '未使用的列：{columns}',
	'ingest.upload.firstRejects': '前几条被拒绝的行',
	'ingest.upload.error.noFile': '请选择要上传的文件。',
	'ingest.upload.error.mapping': '映射文件不是有效的 JSON：{message}',
	'ingest.upload.error.network': '上传中断（网络错误），请重试。',
	'ingest.upload.error.server': '服务器返回 {status}：{message}',

	'run.title': '导入详情',
	'run.back': '返回数据导入',
	'run.summary': '概要',
	'run.entity': '实体',
	'run.file': '文件',
	'run.format': '格式',
	'run.mode': '模式',
	'run.mapping': '字段映射',
	'run.noMapping': '无（列名与字段名一致）',
	'run.bytes': '文件大小',
	'run.hash': 'SHA-256',
	'run.triggeredBy': '触发方式',
	'run.started': '开始时间',
	'run.finished': '结束时间',
	'run.duration': '耗时',
	'run.tables': '各数据表',
	'run.ignored': '未使用的列',
	'run.error': '错误',
	'run.rejects': '被拒绝的行',
	'run.rejects.none': '没有被拒绝的行。',
	'run.rejects.row': '行号',
	'run.rejects.column': '列',
	'run.rejects.reason': '原因',
	'run.rejects.raw': '原始值',

	'pager.label': '分页',
	'pager.prev': '上一页',
	'pager.next': '下一页',
	'pager.page': '第 {page} 页，共 {pages} 页',

	'error.title': '出错了',
	'error.401': '请先登录。',
	'error.403': '你没有访问此页面的权限。',
	'error.404': '页面不存在。',
	'error.500': '服务器内部错误，请稍后再试。',
	'error.reference': '错误编号：{id}',
	'error.home': '返回首页',

	'entity.owners': '负责人',
	'entity.accounts': '客户',
	'entity.contacts': '联系人',
	'entity.activities': '跟进活动',
	'entity.products': '产品',
	'entity.orders': '订单',
	'entity.order_lines': '订单明细',
	'entity.order_lines_flat': '订单明细（扁平导出）',
	'entity.invoices': '发票',
	'entity.payments': '回款',
	'entity.subscriptions': '订阅',
	'entity.tickets': '工单',
	'entity.survey_responses': '调研答复',
	'entity.usage_daily': '每日使用量'
};

export const messages: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export type MessageParams = Record<string, string | number>;

/** The message for `key` in `locale`, with `{name}` placeholders filled; numbers use the locale's format. */
export function t(locale: Locale, key: MessageKey, params?: MessageParams): string {
	const text = messages[locale][key] ?? messages.en[key];
	if (!params) return text;
	return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
		const value = params[name];
		if (value === undefined) return whole;
		return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value;
	});
}

export function isMessageKey(key: string): key is MessageKey {
	return Object.hasOwn(en, key);
}

/** An entity's display name; entity names without a message fall back to the name itself. */
export function entityLabel(locale: Locale, entity: string): string {
	const key = `entity.${entity}`;
	return isMessageKey(key) ? t(locale, key) : entity;
}
