// libxgboost's C functions causeway calls, loaded at first use (core/dynamic_library.h). The
// types and constants still come from the library's header.
#pragma once

#include <xgboost/c_api.h>

namespace causeway {

struct XgboostApi {
  decltype(&::XGBGetLastError) XGBGetLastError;
  decltype(&::XGBSetGlobalConfig) XGBSetGlobalConfig;
  decltype(&::XGDMatrixCreateFromMat_omp) XGDMatrixCreateFromMat_omp;
  decltype(&::XGDMatrixFree) XGDMatrixFree;
  decltype(&::XGDMatrixSetFloatInfo) XGDMatrixSetFloatInfo;
  decltype(&::XGBoosterCreate) XGBoosterCreate;
  decltype(&::XGBoosterFree) XGBoosterFree;
  decltype(&::XGBoosterSetParam) XGBoosterSetParam;
  decltype(&::XGBoosterUpdateOneIter) XGBoosterUpdateOneIter;
  decltype(&::XGBoosterPredictFromDMatrix) XGBoosterPredictFromDMatrix;
};

// The functions, libxgboost.so.0 being opened by the first call (thread-safe). Throws Error(kIo)
// naming the library and its Debian package when it cannot be loaded; a later call tries again.
const XgboostApi& xgboost_api();

}  // namespace causeway
