/**
 * The FLEX field table (Navtelecom protocol v6.1, Appendix A.1) as data: number, size, how the raw
 * value is read and what it is. FLEX 1.0 knows fields 1–69, 2.0 fields 1–122, 3.0 fields 1–255.
 * Field 100 is 2 bytes (spec v5.5 and later); pre-2017 tables with 1 byte are not supported.
 */

/** How the raw bytes of a field are read (little-endian); `bytes` = composite, kept raw. */
export type FlexValueKind = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'u64' | 'bytes';

export interface FlexFieldDefinition {
  /** 1-based field number of the bit mask. */
  readonly id: number;
  readonly size: number;
  readonly kind: FlexValueKind;
  /** camelCase name of the raw field. */
  readonly name: string;
  /** Unit of the raw value as transmitted (before any conversion), null when it has none. */
  readonly unit: string | null;
}

export const FLEX_VERSION_1_0 = 10;
export const FLEX_VERSION_2_0 = 20;
export const FLEX_VERSION_3_0 = 30;
export const FLEX_VERSIONS = [FLEX_VERSION_1_0, FLEX_VERSION_2_0, FLEX_VERSION_3_0] as const;
export type FlexVersion = (typeof FLEX_VERSIONS)[number];

/** Number of table fields (= bits of the mask) each struct version knows. */
export const FLEX_FIELD_COUNT: Readonly<Record<FlexVersion, number>> = {
  [FLEX_VERSION_1_0]: 69,
  [FLEX_VERSION_2_0]: 122,
  [FLEX_VERSION_3_0]: 255,
};

export function isFlexVersion(value: number): value is FlexVersion {
  return (FLEX_VERSIONS as readonly number[]).includes(value);
}

type Row = readonly [
  first: number,
  last: number,
  size: number,
  kind: FlexValueKind,
  name: string,
  unit: string | null,
  firstNumber?: number,
];

/**
 * Ranges expand to numbered names: `analogInput` over 21–28 → analogInput1…analogInput8; the
 * optional last column is the number of the first one when it is not 1 (pulse counters 3–8).
 */
const ROWS: readonly Row[] = [
  // FLEX 1.0
  [1, 1, 4, 'u32', 'recordIndex', null],
  [2, 2, 2, 'u16', 'eventCode', null],
  [3, 3, 4, 'u32', 'eventTime', 's'],
  [4, 4, 1, 'u8', 'deviceStatus', 'bits'],
  [5, 5, 1, 'u8', 'modulesStatus1', 'bits'],
  [6, 6, 1, 'u8', 'modulesStatus2', 'bits'],
  [7, 7, 1, 'u8', 'gsmLevel', null],
  [8, 8, 1, 'u8', 'navigationState', 'bits'],
  [9, 9, 4, 'u32', 'fixTime', 's'],
  [10, 10, 4, 'i32', 'latitude', '1e-4 arcmin'],
  [11, 11, 4, 'i32', 'longitude', '1e-4 arcmin'],
  [12, 12, 4, 'i32', 'altitude', 'dm'],
  [13, 13, 4, 'f32', 'speed', 'km/h'],
  [14, 14, 2, 'u16', 'course', 'deg'],
  [15, 15, 4, 'f32', 'mileage', 'km'],
  [16, 16, 4, 'f32', 'lastSegmentDistance', 'km'],
  [17, 17, 2, 'u16', 'lastSegmentSeconds', 's'],
  [18, 18, 2, 'u16', 'lastSegmentValidSeconds', 's'],
  [19, 19, 2, 'u16', 'mainPower', 'mV'],
  [20, 20, 2, 'u16', 'backupBattery', 'mV'],
  [21, 28, 2, 'u16', 'analogInput', 'mV'],
  [29, 29, 1, 'u8', 'inputs1to8', 'bits'],
  [30, 30, 1, 'u8', 'inputs9to16', 'bits'],
  [31, 31, 1, 'u8', 'outputs1to8', 'bits'],
  [32, 32, 1, 'u8', 'outputs9to16', 'bits'],
  [33, 34, 4, 'u32', 'pulseCounter', null],
  [35, 36, 2, 'u16', 'fuelSensorFrequency', 'Hz'],
  [37, 37, 4, 'u32', 'engineHoursGenerator', 's'],
  [38, 43, 2, 'u16', 'rs485FuelLevel', null],
  [44, 44, 2, 'u16', 'rs232FuelLevel', null],
  [45, 52, 1, 'i8', 'temperature', '°C'],
  [53, 53, 2, 'u16', 'canFuelLevel', null],
  [54, 54, 4, 'f32', 'canTotalFuelUsed', 'L'],
  [55, 55, 2, 'u16', 'canEngineSpeed', 'rpm'],
  [56, 56, 1, 'i8', 'canCoolantTemperature', '°C'],
  [57, 57, 4, 'f32', 'canTotalDistance', 'km'],
  [58, 62, 2, 'u16', 'canAxleLoad', 'kg'],
  [63, 63, 1, 'u8', 'canAcceleratorPedal', '%'],
  [64, 64, 1, 'u8', 'canBrakePedal', '%'],
  [65, 65, 1, 'u8', 'canEngineLoad', '%'],
  [66, 66, 2, 'u16', 'canAdBlueLevel', null],
  [67, 67, 4, 'u32', 'canEngineHours', 's'],
  [68, 68, 2, 'i16', 'canDistanceToService', '5 km'],
  [69, 69, 1, 'u8', 'canVehicleSpeed', 'km/h'],
  // FLEX 2.0
  [70, 70, 8, 'bytes', 'visibleSatellites', null],
  [71, 71, 2, 'bytes', 'dilutionOfPrecision', '0.1'],
  [72, 72, 1, 'u8', 'preciseReceiverState', 'bits'],
  [73, 73, 16, 'bytes', 'preciseCoordinates', '1e-7 arcmin'],
  [74, 74, 4, 'i32', 'preciseAltitude', 'mm'],
  [75, 75, 2, 'u16', 'preciseCourse', '0.01 deg'],
  [76, 76, 4, 'f32', 'preciseSpeed', 'km/h'],
  [77, 77, 37, 'bytes', 'lbs', null],
  [78, 83, 1, 'i8', 'rs485FuelTemperature', '°C'],
  [84, 93, 3, 'bytes', 'rs485FuelSensor', null, 7],
  [94, 94, 6, 'bytes', 'tpms1to2', null],
  [95, 95, 12, 'bytes', 'tpms3to6', null],
  [96, 96, 24, 'bytes', 'tpms7to14', null],
  [97, 97, 48, 'bytes', 'tpms15to30', null],
  [98, 98, 1, 'u8', 'tachographDriverState', 'bits'],
  [99, 99, 1, 'u8', 'tachographMode', null],
  [100, 100, 2, 'u16', 'tachographFlags', 'bits'],
  [101, 101, 1, 'u8', 'tachographSpeed', 'km/h'],
  [102, 102, 4, 'u32', 'tachographOdometer', '0.1 km'],
  [103, 103, 4, 'u32', 'tachographTime', 's'],
  [104, 104, 1, 'u8', 'driverStatus', null],
  [105, 105, 4, 'u32', 'lastDisplayMessageIndex', null],
  [106, 106, 2, 'u16', 'timeIncrement', '0.01 s'],
  [107, 107, 6, 'bytes', 'linearAcceleration', 'mg'],
  [108, 108, 2, 'u16', 'ecoDrivingExceedanceDuration', '0.01 s'],
  [109, 109, 6, 'bytes', 'ecoDrivingMaxAcceleration', 'mg'],
  [110, 117, 2, 'bytes', 'passengerCounters', null],
  [118, 118, 1, 'u8', 'autoInformerStatus', 'bits'],
  [119, 119, 2, 'u16', 'lastGeofenceId', null],
  [120, 120, 2, 'u16', 'lastStopId', null],
  [121, 121, 2, 'u16', 'currentRouteId', null],
  [122, 122, 1, 'u8', 'cameraStatus', 'bits'],
  // FLEX 3.0
  [123, 123, 1, 'u8', 'deviceStatus2', 'bits'],
  [124, 124, 1, 'u8', 'modulesStatus3', 'bits'],
  [125, 125, 1, 'u8', 'linkStatus', 'bits'],
  [126, 126, 1, 'u8', 'inputs17to24', 'bits'],
  [127, 132, 4, 'u32', 'pulseCounter', null, 3],
  [133, 138, 2, 'u16', 'frequencyInput', 'Hz', 3],
  [139, 139, 1, 'u8', 'virtualAccelerometerSensors', 'bits'],
  [140, 140, 1, 'u8', 'tilt', '0.25 deg'],
  [141, 141, 2, 'bytes', 'pitchRoll', null],
  [142, 142, 3, 'bytes', 'externalTilt', 'deg'],
  [143, 143, 2, 'i16', 'ecoDrivingMaxVerticalAcceleration', 'mg'],
  [144, 144, 1, 'u8', 'ecoDrivingMaxSpeed', 'km/h'],
  [145, 145, 1, 'u8', 'ecoDrivingSpeedThresholds', 'bits'],
  [146, 146, 3, 'bytes', 'ecoDrivingThresholds', null],
  [147, 162, 2, 'u16', 'rs485FuelFrequency', 'Hz'],
  [163, 166, 2, 'i16', 'preciseTemperature', '0.05 °C'],
  [167, 170, 1, 'u8', 'preciseHumidity', '0.5 %'],
  [171, 171, 2, 'u16', 'flowMeterStatus', 'bits'],
  [172, 172, 4, 'u32', 'flowMeterFaults', 'bits'],
  [173, 173, 4, 'u32', 'flowMeterTotalFuel', '0.01 L'],
  [174, 174, 4, 'u32', 'flowMeterTripFuel', '0.01 L'],
  [175, 175, 2, 'i16', 'flowMeterCurrentFlow', '0.1 L/h'],
  [176, 176, 4, 'u32', 'supplyChamberTotal', '0.01 L'],
  [177, 177, 2, 'i16', 'supplyChamberFlow', '0.1 L/h'],
  [178, 178, 2, 'i16', 'supplyChamberTemperature', '0.1 °C'],
  [179, 179, 4, 'u32', 'returnChamberTotal', '0.01 L'],
  [180, 180, 2, 'i16', 'returnChamberFlow', '0.1 L/h'],
  [181, 181, 2, 'i16', 'returnChamberTemperature', '0.1 °C'],
  [182, 182, 2, 'bytes', 'reeferState', null],
  [183, 185, 2, 'i16', 'reeferSectionTemperature', '0.01 °C'],
  [186, 188, 2, 'i16', 'reeferSetPoint', '0.01 °C'],
  [189, 189, 2, 'i16', 'reeferAmbientTemperature', '0.01 °C'],
  [190, 190, 2, 'i16', 'reeferCoolantTemperature', '0.01 °C'],
  [191, 191, 2, 'u16', 'reeferBatteryVoltage', 'mV'],
  [192, 192, 2, 'u16', 'reeferBatteryCurrent', 'mA'],
  [193, 193, 4, 'u32', 'reeferEngineHours', '0.01 h'],
  [194, 194, 4, 'u32', 'reeferMainsHours', '0.01 h'],
  [195, 195, 4, 'bytes', 'reeferErrors1', null],
  [196, 196, 4, 'bytes', 'reeferErrors2to3', null],
  [197, 197, 6, 'bytes', 'reeferErrors4to6', null],
  [198, 198, 3, 'bytes', 'reeferEngine', null],
  [199, 199, 1, 'u8', 'reeferCompressorConfiguration', null],
  [200, 200, 2, 'u16', 'insideGeofences', 'bits'],
  [201, 201, 2, 'u16', 'canSecurityFlags', 'bits'],
  [202, 202, 1, 'u8', 'canSecurityLastEvent', null],
  [203, 203, 4, 'u32', 'canDashboardIndicators', 'bits'],
  [204, 204, 5, 'bytes', 'canMalfunction', null],
  [205, 205, 4, 'u32', 'userEngineHours1', 's'],
  [206, 206, 4, 'u32', 'deviceDiagnosticCode', null],
  [207, 222, 1, 'u8', 'user1Byte', null],
  [223, 237, 2, 'u16', 'user2Byte', null],
  [238, 252, 4, 'u32', 'user4Byte', null],
  [253, 255, 8, 'u64', 'user8Byte', null],
];

function expandRows(rows: readonly Row[]): FlexFieldDefinition[] {
  const table: FlexFieldDefinition[] = [];
  for (const [first, last, size, kind, name, unit, firstNumber = 1] of rows) {
    for (let id = first; id <= last; id++) {
      const fieldName = first === last ? name : `${name}${firstNumber + id - first}`;
      table.push({ id, size, kind, name: fieldName, unit });
    }
  }
  return table;
}

/** Index = field id − 1. */
export const FLEX_FIELDS: readonly FlexFieldDefinition[] = expandRows(ROWS);

export function flexFieldDefinition(id: number): FlexFieldDefinition | undefined {
  return FLEX_FIELDS[id - 1];
}
