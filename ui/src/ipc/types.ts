// Friendly names for the generated types: what the backend sends (Serialize)
// and what it accepts (Deserialize).
export type {
  AppInfo_Serialize as AppInfo,
  Request_Serialize as Request,
  RequestDetail_Serialize as RequestDetail,
  RequestFilter_Deserialize as RequestFilter,
  IpcError_Serialize as IpcError,
  NewRequest,
  RequestType,
  SortOrder,
  Status,
  RegimeInfo,
  Choice,
  Schedule_Serialize as Schedule,
  ClockEvent_Deserialize as ClockEvent,
  EngineOptions_Serialize as EngineOptions,
  WhatIf_Deserialize as WhatIf,
  Holiday,
  Duty,
  Step,
  Warning,
  Reading,
} from "./bindings";
