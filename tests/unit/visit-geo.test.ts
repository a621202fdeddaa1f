// 拜访签到的位置：坐标系换算、两点距离（haversine）、定位新鲜度、签退时长。
import { describe, expect, it } from 'vitest';
import { convert, distanceCheck, haversineMeters, positionAgeProblem, toWgsAndGcj } from '../../server/modules/crm/visits/geo.ts';
import { shanghaiDayBounds, visitDuration } from '../../server/modules/crm/visits/rules.ts';

describe('坐标系换算', () => {
  it('已知点：GCJ-02 (45, 123) → WGS-84 (44.99804071, 122.99395597)，WGS-84 天安门附近 → BD-09（gcoord 文档给出的值）', () => {
    const wgs = convert({ lat: 45, lng: 123 }, 'gcj02', 'wgs84');
    expect(wgs.lat).toBeCloseTo(44.99804071, 7);
    expect(wgs.lng).toBeCloseTo(122.99395597, 7);
    const bd = convert({ lat: 39.914266, lng: 116.403988 }, 'wgs84', 'bd09');
    expect(bd.lat).toBeCloseTo(39.92196580126834, 9);
    expect(bd.lng).toBeCloseTo(116.41661560068297, 9);
  });

  it('在宁波，WGS-84 与 GCJ-02 相差数百米；往返换算误差：GCJ-02 小于 1 厘米，BD-09 小于 10 厘米', () => {
    const wgs = { lat: 29.8788870, lng: 121.7910894 };
    const { gcj02 } = toWgsAndGcj(wgs, 'wgs84');
    expect(haversineMeters(wgs, gcj02)).toBeGreaterThan(300);
    expect(haversineMeters(wgs, gcj02)).toBeLessThan(700);
    const back = convert(gcj02, 'gcj02', 'wgs84');
    expect(haversineMeters(wgs, back)).toBeLessThan(0.01);
    const viaBaidu = convert(convert(wgs, 'wgs84', 'bd09'), 'bd09', 'wgs84');
    expect(haversineMeters(wgs, viaBaidu)).toBeLessThan(0.1); // BD-09's inverse is approximate: about 6 cm here
  });

  it('同一坐标系不换算；两种坐标都给出', () => {
    const p = { lat: 29.876412, lng: 121.795306 };
    expect(toWgsAndGcj(p, 'gcj02').gcj02).toEqual(p);
    expect(toWgsAndGcj(p, 'wgs84').wgs84).toEqual(p);
  });
});

describe('haversine 距离', () => {
  it('沿经线 1 度 = 2πR/360 = 111195.08 米（R = 6371008.8 米）；赤道上经度 1 度同', () => {
    expect(haversineMeters({ lat: 30, lng: 121 }, { lat: 31, lng: 121 })).toBeCloseTo(111195.08, 1);
    expect(haversineMeters({ lat: 0, lng: 0 }, { lat: 0, lng: 1 })).toBeCloseTo(111195.08, 1);
  });

  it('纬度 60° 上经度 1 度 = 111195.08 × cos60° 附近（大圆略短于纬线）：55597.5 米以内', () => {
    const d = haversineMeters({ lat: 60, lng: 0 }, { lat: 60, lng: 1 });
    expect(d).toBeGreaterThan(55_590);
    expect(d).toBeLessThan(55_597.6);
  });

  it('北京天安门 (39.9087, 116.3975) 到上海人民广场 (31.2304, 121.4737) 约 1067 公里', () => {
    expect(haversineMeters({ lat: 39.9087, lng: 116.3975 }, { lat: 31.2304, lng: 121.4737 }) / 1000).toBeCloseTo(1067, -1);
  });

  it('签到距离：取整米，超出半径预警；客户没有位置时距离未知', () => {
    const pin = { lat: 29.94688, lng: 121.601254 };
    expect(distanceCheck({ lat: 29.94688 + 0.018, lng: 121.601254 }, pin, 500)).toEqual({ distanceMeters: 2002, warning: true });
    expect(distanceCheck({ lat: 29.94688 + 0.0045, lng: 121.601254 }, pin, 500)).toEqual({ distanceMeters: 500, warning: false });
    expect(distanceCheck(pin, null, 500)).toEqual({ distanceMeters: null, warning: false });
  });
});

describe('定位新鲜度（两个时间都来自手机）', () => {
  const sent = new Date('2026-12-07T10:00:00+08:00');
  it('60 秒内可用，61 秒拒绝；手机时钟整体偏差不影响', () => {
    expect(positionAgeProblem(new Date(sent.getTime() - 60_000), sent)).toBeNull();
    expect(positionAgeProblem(new Date(sent.getTime() - 61_000), sent)).toContain('61 秒');
    const skew = 3 * 3_600_000; // a phone three hours off
    expect(positionAgeProblem(new Date(sent.getTime() + skew - 30_000), new Date(sent.getTime() + skew))).toBeNull();
  });
  it('定位时间明显晚于发送时间：拒绝', () => {
    expect(positionAgeProblem(new Date(sent.getTime() + 10_000), sent)).toContain('晚于');
  });
});

describe('签退时长', () => {
  const inAt = new Date('2026-12-07T10:00:00+08:00');
  it('整分钟，不足最短时长标记过短', () => {
    expect(visitDuration(inAt, new Date(inAt.getTime() + 4 * 60_000 + 59_000), 5)).toEqual({ durationMinutes: 4, tooShort: true });
    expect(visitDuration(inAt, new Date(inAt.getTime() + 5 * 60_000), 5)).toEqual({ durationMinutes: 5, tooShort: false });
  });
  it('北京时间一天的起止', () => {
    expect(shanghaiDayBounds('2026-12-08').start.toISOString()).toBe('2026-12-07T16:00:00.000Z');
  });
});
