/** Words for the demo data set: zh-CN company and person names, industries, regions, products. */

export const CITIES = [
	{ name: '上海', region: '华东' },
	{ name: '杭州', region: '华东' },
	{ name: '南京', region: '华东' },
	{ name: '苏州', region: '华东' },
	{ name: '宁波', region: '华东' },
	{ name: '广州', region: '华南' },
	{ name: '深圳', region: '华南' },
	{ name: '东莞', region: '华南' },
	{ name: '北京', region: '华北' },
	{ name: '天津', region: '华北' },
	{ name: '石家庄', region: '华北' },
	{ name: '武汉', region: '华中' },
	{ name: '长沙', region: '华中' },
	{ name: '郑州', region: '华中' },
	{ name: '成都', region: '西南' },
	{ name: '重庆', region: '西南' },
	{ name: '西安', region: '西北' },
	{ name: '沈阳', region: '东北' },
	{ name: '大连', region: '东北' }
] as const;

export const REGIONS = ['华东', '华南', '华北', '华中', '西南', '西北', '东北'] as const;

export const INDUSTRIES = [
	{ name: '制造', suffix: '机械' },
	{ name: '零售', suffix: '商贸' },
	{ name: '科技', suffix: '科技' },
	{ name: '医疗', suffix: '医疗器械' },
	{ name: '教育', suffix: '教育科技' },
	{ name: '物流', suffix: '物流' },
	{ name: '餐饮', suffix: '餐饮管理' },
	{ name: '建筑', suffix: '建设工程' }
] as const;

export const COMPANY_WORDS = [
	'明',
	'达',
	'华',
	'信',
	'恒',
	'瑞',
	'安',
	'泰',
	'鑫',
	'源',
	'丰',
	'通',
	'宏',
	'盛',
	'嘉',
	'创',
	'博',
	'凯',
	'联',
	'正'
] as const;

export const SURNAMES = [
	'王',
	'李',
	'张',
	'刘',
	'陈',
	'杨',
	'赵',
	'黄',
	'周',
	'吴',
	'徐',
	'孙',
	'胡',
	'朱',
	'高',
	'林',
	'何',
	'郭',
	'马',
	'罗'
] as const;
export const GIVEN_NAMES = [
	'伟',
	'芳',
	'娜',
	'敏',
	'静',
	'丽',
	'强',
	'磊',
	'军',
	'洋',
	'勇',
	'艳',
	'杰',
	'娟',
	'涛',
	'明',
	'超',
	'秀英',
	'晓东',
	'海燕',
	'建华',
	'志强'
] as const;

export const TEAMS = [
	'华东一组',
	'华东二组',
	'华南组',
	'华北组',
	'中西部组',
	'大客户组',
	'渠道组',
	'东北组'
] as const;

export interface Product {
	sku: string;
	name: string;
	category: string;
	price: number;
	costRatio: number;
	maxQty: number;
	weight: number;
	/** SKUs often bought together with this one (the affinity cross-sell finds). */
	companions: string[];
}

export const PRODUCTS: Product[] = [
	{
		sku: 'EQ-100',
		name: '工业打印机 X1',
		category: '设备',
		price: 12800,
		costRatio: 0.62,
		maxQty: 2,
		weight: 3,
		companions: ['CS-110', 'SV-300']
	},
	{
		sku: 'EQ-200',
		name: '标签打印机 L2',
		category: '设备',
		price: 3600,
		costRatio: 0.58,
		maxQty: 3,
		weight: 5,
		companions: ['CS-120', 'AC-210']
	},
	{
		sku: 'EQ-300',
		name: '扫码枪 S3',
		category: '设备',
		price: 899,
		costRatio: 0.55,
		maxQty: 10,
		weight: 6,
		companions: ['AC-310']
	},
	{
		sku: 'EQ-400',
		name: '手持终端 H4',
		category: '设备',
		price: 4200,
		costRatio: 0.6,
		maxQty: 5,
		weight: 3,
		companions: ['AC-410', 'SW-500']
	},
	{
		sku: 'CS-110',
		name: '碳带 X1 专用',
		category: '耗材',
		price: 260,
		costRatio: 0.35,
		maxQty: 40,
		weight: 12,
		companions: []
	},
	{
		sku: 'CS-120',
		name: '热敏标签纸',
		category: '耗材',
		price: 85,
		costRatio: 0.3,
		maxQty: 100,
		weight: 18,
		companions: ['CS-130']
	},
	{
		sku: 'CS-130',
		name: '不干胶标签',
		category: '耗材',
		price: 120,
		costRatio: 0.32,
		maxQty: 60,
		weight: 10,
		companions: []
	},
	{
		sku: 'CS-140',
		name: '清洁套装',
		category: '耗材',
		price: 150,
		costRatio: 0.3,
		maxQty: 10,
		weight: 4,
		companions: []
	},
	{
		sku: 'AC-210',
		name: '打印头 L2',
		category: '配件',
		price: 680,
		costRatio: 0.45,
		maxQty: 4,
		weight: 3,
		companions: []
	},
	{
		sku: 'AC-310',
		name: '扫码枪底座',
		category: '配件',
		price: 199,
		costRatio: 0.4,
		maxQty: 10,
		weight: 4,
		companions: []
	},
	{
		sku: 'AC-410',
		name: '终端电池',
		category: '配件',
		price: 260,
		costRatio: 0.42,
		maxQty: 10,
		weight: 4,
		companions: []
	},
	{
		sku: 'SV-300',
		name: '上门维保（年）',
		category: '服务',
		price: 4800,
		costRatio: 0.3,
		maxQty: 2,
		weight: 2,
		companions: []
	},
	{
		sku: 'SV-310',
		name: '安装调试',
		category: '服务',
		price: 1200,
		costRatio: 0.25,
		maxQty: 2,
		weight: 2,
		companions: []
	},
	{
		sku: 'SW-500',
		name: '仓储管理软件授权',
		category: '软件',
		price: 6800,
		costRatio: 0.1,
		maxQty: 5,
		weight: 2,
		companions: ['SV-310']
	},
	{
		sku: 'SW-510',
		name: '标签设计软件',
		category: '软件',
		price: 980,
		costRatio: 0.08,
		maxQty: 5,
		weight: 3,
		companions: []
	}
];

export const NPS_COMMENTS = {
	promoter: [
		'产品稳定，服务响应很快',
		'打印质量很好，会推荐给同行',
		'客服专业，续约没问题',
		'Very reliable, great support'
	],
	passive: [
		'整体还行，价格偏高',
		'交付有时会延迟',
		'功能够用，希望有更多培训',
		'OK overall, delivery could be faster'
	],
	detractor: [
		'工单很久没人处理',
		'质量问题反复出现，考虑换供应商',
		'价格涨了服务却变差',
		'投诉三次还没解决',
		'Support is slow and issues keep coming back'
	]
} as const;
