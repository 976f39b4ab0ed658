/**
 * The data contract's columns per input kind, and a guess of which source column is which
 * (exports from core banking, CRM and statistics bureaus rarely use our names). Pure: no IO.
 */
import type { InputKind } from './types.ts';

export interface ContractColumns {
  required: readonly string[];
  optional: readonly string[];
}

/** DESIGN.md data contract. */
export const CONTRACT: Record<InputKind, ContractColumns> = {
  areas: { required: ['area_id'], optional: ['name', 'name_en'] },
  indicators: { required: ['area_id', 'period'], optional: ['name', 'name_en'] },
  customers: {
    required: ['customer_id', 'lon', 'lat'],
    optional: ['segment', 'age', 'balance', 'loan_balance', 'default_flag', 'digital_active'],
  },
  sites: { required: ['site_id', 'lon', 'lat', 'type', 'owner'], optional: ['name', 'attractiveness'] },
  candidates: { required: ['site_id', 'lon', 'lat'], optional: ['cost', 'name'] },
  demand_points: { required: ['point_id', 'lon', 'lat'], optional: ['weight'] },
  costs: { required: ['demand_id', 'site_id', 'cost'], optional: [] },
  // `aggregate`'s table or a warehouse's GROUP BY (README § Demand cells); group columns and
  // sum_<col>/n_<col> pairs come along as extra columns.
  demand_cells: { required: ['h3', 'resolution', 'count'], optional: [] },
};

/**
 * Accepted names per contract column, best first, compared after `normalizeName`. Generic names
 * (`id`, `x`, `code`) come last so a specific column wins when a file has both.
 */
const SYNONYMS: Record<string, readonly string[]> = {
  customer_id: ['customer_id', 'customerid', 'cust_id', 'custid', 'client_id', 'clientid', 'customer_no', 'customer_number', 'cust_no', 'cif', '客户号', '客户编号', '客户id', '客户代码', '客户编码', '客户号码', 'id'],
  site_id: ['site_id', 'siteid', 'branch_id', 'branchid', 'atm_id', 'atmid', 'branch_code', 'site_code', 'candidate_id', '网点编号', '网点id', '网点代码', '网点编码', '网点号', '机构号', '机构编号', '机构代码', '设备编号', '终端号', 'destination_id', 'destinationid', 'destinationname', 'to_id', '终点编号', '终点', '终点名称', '编号', 'id'],
  area_id: ['area_id', 'areaid', 'area_code', 'areacode', 'adcode', 'district_id', 'district_code', 'region_code', '区划代码', '行政区划代码', '区县代码', '区域代码', '地区代码', '区划编码', 'code', 'id', '区县', '区县名称', '区域', '区域名称', '地区', '地区名称', '行政区', '区名', '区', 'district', 'district_name', 'area', 'area_name'],
  lon: ['lon', 'lng', 'long', 'longitude', '经度', 'gps经度', '经度坐标', '东经', 'x坐标', 'x'],
  lat: ['lat', 'latitude', '纬度', 'gps纬度', '纬度坐标', '北纬', 'y坐标', 'y'],
  type: ['type', 'site_type', 'sitetype', 'kind', 'category', '类型', '网点类型', '设备类型', '机构类型', '网点性质', '网点类别', '设备类别'],
  owner: ['owner', 'bank', 'brand', 'operator', 'institution', '机构', '所属机构', '银行', '所属银行', '银行名称', '所属行', '归属', '归属机构'],
  name: ['name', 'site_name', 'branch_name', 'area_name', 'district_name', 'district', '名称', '网点名称', '机构名称', '区名', '区县', '区县名称', '地区名称'],
  name_en: ['name_en', 'nameen', 'english_name', 'name_english', 'en_name', '英文名', '英文名称'],
  period: ['period', 'quarter', 'month', 'year', 'date', 'time', '期间', '统计期', '统计期间', '报告期', '数据期', '季度', '月份', '年份', '年月', '时间', '统计时间', '日期'],
  segment: ['segment', 'customer_segment', 'seg', 'tier', '客户分层', '客群', '分群', '客户类型', '客户分类'],
  age: ['age', '年龄'],
  balance: ['balance', 'deposit_balance', 'deposit', 'deposits', 'aum', '存款余额', '存款', '存款日均余额', '日均存款', '余额', '资产余额', '金融资产'],
  loan_balance: ['loan_balance', 'loan', 'loans', 'loan_amount', '贷款余额', '贷款', '贷款金额', '贷款本金余额'],
  default_flag: ['default_flag', 'default', 'is_default', 'defaulted', 'npl_flag', '违约', '违约标志', '是否违约'],
  digital_active: ['digital_active', 'is_digital', 'digital', 'mobile_active', 'app_active', '数字活跃', '手机银行活跃', '是否活跃'],
  attractiveness: ['attractiveness', 'attraction', 'attractivity', 'weight', '吸引力', '权重'],
  cost: ['cost', 'capex', 'rent', 'travel_time', 'time', 'minutes', 'distance', 'distance_m', '成本', '费用', '通行时间', '时间', '距离', 'total_length', 'total_time', 'network_distance', '路网距离', '道路距离', '通行距离'],
  // A compound list often has no code column: its name (小区名称) is then the id cost files use.
  point_id: ['point_id', 'pointid', 'demand_id', 'compound_id', 'tract_id', 'poi_id', '需求点编号', '小区编号', '编号', 'id', '小区名称', '小区', '需求点名称', '需求点'],
  // Road-network tools (OD cost matrices) name the two ends origin and destination (起点, 终点).
  demand_id: ['demand_id', 'point_id', 'customer_id', 'origin_id', 'from_id', '需求点编号', '客户编号', '起点编号', 'originid', 'originname', 'origin', '起点', '起点名称'],
  h3: ['h3', 'h3_index', 'h3index', 'h3_cell', 'h3cell', 'cell', 'cell_id', 'h3_id', 'hex_id', 'hex', 'geotoh3', 'h3_lat_lng_to_cell', 'h3编码', '网格编码'],
  resolution: ['resolution', 'h3_resolution', 'res', 'h3_res', '分辨率', '层级'],
  count: ['count', 'customers', 'customer_count', 'n_customers', 'cnt', 'num_customers', '客户数', '客户数量', '人数'],
  weight: ['weight', 'households', 'population', 'pop', 'count', '户数', '人口', '权重'],
};

/**
 * Lower case, drop a bracketed suffix (`经度(WGS84)`, `Lon [deg]`), spaces, `_`, `-`, `.`.
 * So `Customer ID`, `customer-id` and `CUSTOMER_ID` are one name.
 */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[(（[【].*?[)）\]】]/g, '')
    .replace(/[\s_\-.]/g, '');
}

/**
 * Guess contract column → source column for one file. Exact names win over synonyms, and a
 * source column is used at most once. Columns with no match are left out (the loader reports
 * a missing required column; an optional one is simply absent).
 */
export function guessMapping(headers: readonly string[], kind: InputKind): Record<string, string> {
  const contract = [...CONTRACT[kind].required, ...CONTRACT[kind].optional];
  const normalized = headers.map(normalizeName);
  const used = new Set<number>();
  const result: Record<string, string> = {};
  // Pass 1: exact contract names, so e.g. a real `name` column is not taken by another's synonym.
  for (const col of contract) {
    const i = normalized.indexOf(normalizeName(col));
    if (i !== -1 && !used.has(i)) {
      result[col] = headers[i];
      used.add(i);
    }
  }
  // Pass 2: synonyms, best first; required columns before optional ones.
  for (const col of contract) {
    if (col in result) continue;
    for (const syn of SYNONYMS[col] ?? []) {
      const i = normalized.findIndex((h, j) => h === normalizeName(syn) && !used.has(j));
      if (i !== -1) {
        result[col] = headers[i];
        used.add(i);
        break;
      }
    }
  }
  return result;
}
