/**
 * public/demo/manifest.json: what the app needs to present the demo honestly — file names,
 * CRS, provenance (shown in the data credits), units and column labels in both languages.
 */
export function manifest() {
  return {
    name: { 'zh-CN': '上海（演示）', en: 'Shanghai (demo)' },
    files: { areas: 'areas.geojson', indicators: 'indicators.csv', customers: 'customers.csv.gz', sites: 'sites.csv' },
    crs: 'wgs84',
    credits: {
      'zh-CN':
        '区界：echarts 4.9.0 上海地图（源自高德，GCJ-02，经 gcoord 转换为 WGS84），演示精度约 100 米，不可用于测量。' +
        '常住人口以 2020 年第七次全国人口普查为基准；其余指标、客户与网点均为合成数据，仅供演示。',
      en:
        'District boundaries: echarts 4.9.0 Shanghai map (AMap-derived, GCJ-02, converted to WGS84 with gcoord); ' +
        'demo precision ~100 m, not for measurement. Resident population anchored on the 2020 (7th national) census; ' +
        'all other indicators, customers and sites are synthetic, for demonstration only.',
    },
    units: {
      population: 'persons',
      avg_income: 'CNY/yr',
      unemployment_rate: '%',
      house_price_index: '2023Q1 = 100',
      npl_rate: '%',
      young_share: 'fraction (age 15–34)',
      elderly_share: 'fraction (age 60+)',
      business_count: 'firms',
      area_km2: 'km²',
      age: 'years',
      balance: 'CNY',
      loan_balance: 'CNY',
      default_flag: '0/1',
      digital_active: '0/1',
      attractiveness: '1–3',
    },
    labels: {
      'zh-CN': {
        population: '常住人口',
        avg_income: '人均可支配收入',
        unemployment_rate: '失业率',
        house_price_index: '房价指数',
        npl_rate: '不良贷款率',
        young_share: '青年人口占比',
        elderly_share: '老年人口占比',
        business_count: '企业数',
        area_km2: '面积',
        segment: '客群',
        age: '年龄',
        balance: '存款余额',
        loan_balance: '贷款余额',
        default_flag: '违约',
        digital_active: '手机银行活跃',
        attractiveness: '吸引力',
        'segment:young': '年轻客群',
        'segment:family': '家庭客群',
        'segment:senior': '老年客群',
        'segment:sme': '小微企业主',
        'segment:affluent': '财富客群',
      },
      en: {
        population: 'Resident population',
        avg_income: 'Average disposable income',
        unemployment_rate: 'Unemployment rate',
        house_price_index: 'House price index',
        npl_rate: 'Non-performing loan ratio',
        young_share: 'Share aged 15–34',
        elderly_share: 'Share aged 60+',
        business_count: 'Registered firms',
        area_km2: 'Area',
        segment: 'Segment',
        age: 'Age',
        balance: 'Deposit balance',
        loan_balance: 'Loan balance',
        default_flag: 'Defaulted',
        digital_active: 'Active on mobile banking',
        attractiveness: 'Attractiveness',
        'segment:young': 'Young',
        'segment:family': 'Family',
        'segment:senior': 'Senior',
        'segment:sme': 'Small business',
        'segment:affluent': 'Affluent',
      },
    },
  };
}
