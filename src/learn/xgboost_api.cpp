#include "learn/xgboost_api.h"

#include "core/dynamic_library.h"

namespace causeway {

namespace {

XgboostApi load() {
  const DynamicLibrary lib("libxgboost.so.0", "libxgboost0",
                           "gradient boosting (--nuisance boosting, --base boosting)");
  XgboostApi api{};
  CAUSEWAY_BIND(XGBGetLastError);
  CAUSEWAY_BIND(XGBSetGlobalConfig);
  CAUSEWAY_BIND(XGDMatrixCreateFromMat_omp);
  CAUSEWAY_BIND(XGDMatrixFree);
  CAUSEWAY_BIND(XGDMatrixSetFloatInfo);
  CAUSEWAY_BIND(XGBoosterCreate);
  CAUSEWAY_BIND(XGBoosterFree);
  CAUSEWAY_BIND(XGBoosterSetParam);
  CAUSEWAY_BIND(XGBoosterUpdateOneIter);
  CAUSEWAY_BIND(XGBoosterPredictFromDMatrix);
  return api;
}

}  // namespace

const XgboostApi& xgboost_api() {
  static const XgboostApi api = load();
  return api;
}

}  // namespace causeway
