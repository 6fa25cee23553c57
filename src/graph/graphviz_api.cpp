#include "graph/graphviz_api.h"

#include "core/dynamic_library.h"

namespace causeway {

namespace {

CgraphApi load_cgraph(const char* needed_by) {
  const DynamicLibrary lib("libcgraph.so.6", "libcgraph6", needed_by);
  CgraphApi api{};
  CAUSEWAY_BIND(agmemread);
  CAUSEWAY_BIND(agclose);
  CAUSEWAY_BIND(agisdirected);
  CAUSEWAY_BIND(agfstnode);
  CAUSEWAY_BIND(agnxtnode);
  CAUSEWAY_BIND(agfstout);
  CAUSEWAY_BIND(agnxtout);
  CAUSEWAY_BIND(agnameof);
  CAUSEWAY_BIND(agget);
  CAUSEWAY_BIND(agseterr);
  CAUSEWAY_BIND(agseterrf);
  CAUSEWAY_BIND(agreseterrors);
  return api;
}

// libgvc finds its layout and render plugins itself (its config6 file, as when it was linked).
GvcApi load_gvc(const char* needed_by) {
  const DynamicLibrary lib("libgvc.so.6", "libgvc6", needed_by);
  GvcApi api{};
  CAUSEWAY_BIND(gvContext);
  CAUSEWAY_BIND(gvFreeContext);
  CAUSEWAY_BIND(gvLayout);
  CAUSEWAY_BIND(gvFreeLayout);
  CAUSEWAY_BIND(gvRenderData);
  CAUSEWAY_BIND(gvFreeRenderData);
  return api;
}

}  // namespace

const CgraphApi& cgraph_api(const char* needed_by) {
  static const CgraphApi api = load_cgraph(needed_by);
  return api;
}

const GvcApi& gvc_api(const char* needed_by) {
  static const GvcApi api = load_gvc(needed_by);
  return api;
}

}  // namespace causeway
