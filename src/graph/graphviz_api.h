// Graphviz's functions causeway calls, loaded at first use (core/dynamic_library.h): cgraph
// (libcgraph) reads DOT text into a graph, gvc (libgvc) lays a graph out and renders it. The
// types and constants still come from the library's headers.
#pragma once

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

namespace causeway {

struct CgraphApi {
  decltype(&::agmemread) agmemread;
  decltype(&::agclose) agclose;
  decltype(&::agisdirected) agisdirected;
  decltype(&::agfstnode) agfstnode;
  decltype(&::agnxtnode) agnxtnode;
  decltype(&::agfstout) agfstout;
  decltype(&::agnxtout) agnxtout;
  decltype(&::agnameof) agnameof;
  decltype(&::agget) agget;
  decltype(&::agseterr) agseterr;
  decltype(&::agseterrf) agseterrf;
  decltype(&::agreseterrors) agreseterrors;
};

struct GvcApi {
  decltype(&::gvContext) gvContext;
  decltype(&::gvFreeContext) gvFreeContext;
  decltype(&::gvLayout) gvLayout;
  decltype(&::gvFreeLayout) gvFreeLayout;
  decltype(&::gvRenderData) gvRenderData;
  decltype(&::gvFreeRenderData) gvFreeRenderData;
};

// The functions, libcgraph.so.6 or libgvc.so.6 being opened by the first call (thread-safe).
// Throws Error(kIo) naming the library, `needed_by` (what the caller is doing: "reading a DOT
// graph") and the Debian package when it cannot be loaded; a later call tries again.
const CgraphApi& cgraph_api(const char* needed_by);
const GvcApi& gvc_api(const char* needed_by);

}  // namespace causeway
