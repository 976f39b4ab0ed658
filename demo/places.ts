/**
 * Commercial and residential centres of the demo city. Customers cluster around them
 * (a Gaussian each) and sites are placed near them, so demand hotspots, our coverage and
 * competitors' coverage all tell one consistent story.
 *
 * Coordinates are approximate WGS84 (to a few hundred metres: plenty for a demo).
 * `sdKm` is the cluster's standard deviation; `weight` its relative pull on customers
 * and sites; `tilt` multiplies the district's segment mix for customers drawn from this
 * cluster (e.g. young tech workers around 张江, affluent households around 静安寺).
 */
import type { Segment } from './segments.ts';

export interface Place {
  name: string;
  lon: number;
  lat: number;
  sdKm: number;
  weight: number;
  tilt?: Partial<Record<Segment, number>>;
  /** A growing area where we (`own`) have no branch and no ATM yet: the gap the demo's site search should find. */
  ownGap?: boolean;
}

export const PLACES: Place[] = [
  // 黄浦
  { name: '人民广场', lon: 121.472, lat: 31.233, sdKm: 0.9, weight: 10, tilt: { affluent: 1.2, sme: 1.3 } },
  { name: '南京东路', lon: 121.485, lat: 31.239, sdKm: 0.6, weight: 6, tilt: { sme: 1.5 } },
  { name: '新天地', lon: 121.472, lat: 31.218, sdKm: 0.6, weight: 5, tilt: { affluent: 1.8 } },
  { name: '打浦桥', lon: 121.466, lat: 31.205, sdKm: 0.7, weight: 3 },
  // 浦东
  { name: '陆家嘴', lon: 121.502, lat: 31.238, sdKm: 0.9, weight: 10, tilt: { affluent: 2.0, sme: 1.3 } },
  { name: '花木', lon: 121.545, lat: 31.215, sdKm: 1.4, weight: 6, tilt: { affluent: 1.3, family: 1.2 } },
  { name: '张江', lon: 121.595, lat: 31.205, sdKm: 1.2, weight: 8, tilt: { young: 2.6, sme: 1.2 } },
  { name: '金桥', lon: 121.598, lat: 31.262, sdKm: 1.5, weight: 4, tilt: { family: 1.2 } },
  { name: '前滩', lon: 121.482, lat: 31.162, sdKm: 1.4, weight: 5, tilt: { affluent: 1.4, family: 1.2 } },
  { name: '川沙', lon: 121.705, lat: 31.190, sdKm: 1.3, weight: 3 },
  { name: '周浦', lon: 121.575, lat: 31.115, sdKm: 1.6, weight: 3, tilt: { family: 1.3 } },
  { name: '惠南', lon: 121.760, lat: 31.055, sdKm: 1.4, weight: 2 },
  { name: '临港', lon: 121.928, lat: 30.905, sdKm: 1.5, weight: 3, tilt: { young: 1.8, family: 1.2 }, ownGap: true },
  { name: '高桥', lon: 121.575, lat: 31.352, sdKm: 1.5, weight: 2 },
  // 徐汇
  { name: '徐家汇', lon: 121.437, lat: 31.195, sdKm: 0.9, weight: 9, tilt: { young: 1.3, affluent: 1.2 } },
  { name: '漕河泾', lon: 121.400, lat: 31.170, sdKm: 1.0, weight: 4, tilt: { young: 1.7, sme: 1.2 } },
  { name: '龙华', lon: 121.455, lat: 31.175, sdKm: 1.0, weight: 3, tilt: { affluent: 1.3 } },
  // 静安
  { name: '静安寺', lon: 121.446, lat: 31.224, sdKm: 0.7, weight: 8, tilt: { affluent: 1.8 } },
  { name: '南京西路', lon: 121.458, lat: 31.230, sdKm: 0.6, weight: 6, tilt: { affluent: 1.5, sme: 1.2 } },
  { name: '大宁', lon: 121.455, lat: 31.280, sdKm: 1.0, weight: 4, tilt: { family: 1.2 } },
  // 长宁
  { name: '中山公园', lon: 121.417, lat: 31.220, sdKm: 0.8, weight: 6, tilt: { young: 1.3 } },
  { name: '古北', lon: 121.398, lat: 31.196, sdKm: 0.9, weight: 4, tilt: { affluent: 1.6 } },
  // 闵行
  { name: '虹桥枢纽', lon: 121.322, lat: 31.196, sdKm: 1.4, weight: 4, tilt: { sme: 1.8 } },
  { name: '七宝', lon: 121.350, lat: 31.157, sdKm: 1.2, weight: 5, tilt: { family: 1.3 } },
  { name: '莘庄', lon: 121.385, lat: 31.111, sdKm: 1.2, weight: 5, tilt: { family: 1.2 } },
  { name: '古美', lon: 121.405, lat: 31.145, sdKm: 1.0, weight: 3, tilt: { senior: 1.2 } },
  { name: '紫竹', lon: 121.440, lat: 31.025, sdKm: 1.4, weight: 2, tilt: { young: 1.8 } },
  { name: '浦江', lon: 121.505, lat: 31.085, sdKm: 1.5, weight: 2.5, tilt: { family: 1.3 } },
  // 普陀
  { name: '长风', lon: 121.400, lat: 31.227, sdKm: 1.1, weight: 4, tilt: { young: 1.2 } },
  { name: '长寿路', lon: 121.438, lat: 31.243, sdKm: 0.8, weight: 4 },
  { name: '真如', lon: 121.405, lat: 31.255, sdKm: 1.1, weight: 3 },
  // 虹口
  { name: '北外滩', lon: 121.492, lat: 31.252, sdKm: 0.8, weight: 5, tilt: { sme: 1.3 } },
  { name: '曲阳', lon: 121.485, lat: 31.283, sdKm: 1.0, weight: 3, tilt: { senior: 1.3 } },
  // 杨浦
  { name: '五角场', lon: 121.514, lat: 31.301, sdKm: 1.0, weight: 8, tilt: { young: 2.2 } },
  { name: '控江路', lon: 121.530, lat: 31.270, sdKm: 1.1, weight: 4, tilt: { senior: 1.3 } },
  { name: '新江湾城', lon: 121.505, lat: 31.328, sdKm: 1.1, weight: 2, tilt: { young: 1.3, family: 1.2 } },
  // 宝山
  { name: '淞宝', lon: 121.489, lat: 31.405, sdKm: 1.3, weight: 3, tilt: { senior: 1.2 } },
  { name: '大场', lon: 121.400, lat: 31.315, sdKm: 1.3, weight: 3 },
  { name: '顾村', lon: 121.385, lat: 31.350, sdKm: 1.5, weight: 3, tilt: { family: 1.2 } },
  { name: '共富', lon: 121.430, lat: 31.335, sdKm: 1.2, weight: 2.5 },
  // 嘉定
  { name: '嘉定新城', lon: 121.250, lat: 31.360, sdKm: 1.6, weight: 4, tilt: { young: 1.3, family: 1.4 }, ownGap: true },
  { name: '南翔', lon: 121.320, lat: 31.298, sdKm: 1.3, weight: 3, tilt: { family: 1.2 } },
  { name: '安亭', lon: 121.160, lat: 31.295, sdKm: 1.5, weight: 2, tilt: { sme: 1.3 } },
  { name: '江桥', lon: 121.330, lat: 31.255, sdKm: 1.2, weight: 2.5 },
  // 松江
  { name: '松江新城', lon: 121.225, lat: 31.030, sdKm: 1.6, weight: 4, tilt: { family: 1.3 } },
  { name: '九亭', lon: 121.315, lat: 31.130, sdKm: 1.4, weight: 3, tilt: { family: 1.2 } },
  { name: '松江大学城', lon: 121.215, lat: 31.058, sdKm: 0.8, weight: 2, tilt: { young: 3.0 } },
  { name: '泗泾', lon: 121.265, lat: 31.120, sdKm: 1.2, weight: 2 },
  // 青浦
  { name: '青浦新城', lon: 121.115, lat: 31.150, sdKm: 1.5, weight: 3 },
  { name: '徐泾', lon: 121.270, lat: 31.180, sdKm: 1.3, weight: 2.5, tilt: { affluent: 1.3 } },
  { name: '朱家角', lon: 121.052, lat: 31.108, sdKm: 1.0, weight: 1 },
  // 奉贤
  { name: '南桥', lon: 121.460, lat: 30.915, sdKm: 1.6, weight: 3.5 },
  { name: '奉城', lon: 121.620, lat: 30.920, sdKm: 1.2, weight: 1 },
  // 金山
  { name: '金山新城', lon: 121.340, lat: 30.740, sdKm: 1.4, weight: 2.5, tilt: { senior: 1.2 } },
  { name: '朱泾', lon: 121.170, lat: 30.895, sdKm: 1.2, weight: 1.5, tilt: { senior: 1.3 } },
  { name: '枫泾', lon: 121.012, lat: 30.890, sdKm: 1.0, weight: 0.8, tilt: { senior: 1.3 } },
  // 崇明
  { name: '城桥', lon: 121.397, lat: 31.627, sdKm: 1.2, weight: 2, tilt: { senior: 1.4 } },
  { name: '陈家镇', lon: 121.820, lat: 31.530, sdKm: 1.2, weight: 0.8, tilt: { senior: 1.3 } },
  { name: '堡镇', lon: 121.605, lat: 31.530, sdKm: 1.0, weight: 0.6, tilt: { senior: 1.4 } },
];
