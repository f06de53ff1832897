#include "parse/dav_xml/xml_tree.h"

#include <expat.h>

#include <memory>

namespace bulwark::parse::dav_xml {
namespace {

constexpr char kSeparator = '\x01';  // expat joins "namespace<sep>local"; \x01 cannot occur in a URI or name

struct ParseState {
  XML_Parser parser = nullptr;
  const XmlLimits* limits = nullptr;
  XmlElement root;
  std::vector<XmlElement*> stack;
  std::size_t elements = 0;
  bool has_root = false;
  std::string error;  // set when a handler stopped the parser
};

void split_name(const XML_Char* full, std::string& ns, std::string& name) {
  std::string_view text(full);
  auto sep = text.find(kSeparator);
  if (sep == std::string_view::npos) {
    ns.clear();
    name = text;
  } else {
    ns = text.substr(0, sep);
    name = text.substr(sep + 1);
  }
}

void stop(ParseState& state, std::string reason) {
  if (state.error.empty()) state.error = std::move(reason);
  XML_StopParser(state.parser, XML_FALSE);
}

void XMLCALL on_start(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto& state = *static_cast<ParseState*>(data);
  if (!state.error.empty()) return;
  if (++state.elements > state.limits->max_elements) return stop(state, "too many XML elements");
  if (state.stack.size() + 1 > state.limits->max_depth) return stop(state, "XML nested too deeply");
  XmlElement* element = nullptr;
  if (state.stack.empty()) {
    if (state.has_root) return stop(state, "more than one root element");
    state.has_root = true;
    element = &state.root;
  } else {
    element = &state.stack.back()->children.emplace_back();
  }
  split_name(name, element->ns, element->name);
  for (std::size_t i = 0; attributes[i] && attributes[i + 1]; i += 2) {
    XmlAttribute attribute;
    split_name(attributes[i], attribute.ns, attribute.name);
    attribute.value = attributes[i + 1];
    element->attributes.push_back(std::move(attribute));
  }
  state.stack.push_back(element);
}

void XMLCALL on_end(void* data, const XML_Char*) {
  auto& state = *static_cast<ParseState*>(data);
  if (!state.stack.empty()) state.stack.pop_back();
}

void XMLCALL on_text(void* data, const XML_Char* text, int length) {
  auto& state = *static_cast<ParseState*>(data);
  if (!state.error.empty() || state.stack.empty() || length <= 0) return;
  state.stack.back()->text.append(text, static_cast<std::size_t>(length));
}

// Any DOCTYPE ends the parse: WebDAV bodies never need one, and refusing it removes DTDs, entity declarations
// (billion laughs) and external entities (XXE) in one place.
void XMLCALL on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  stop(*static_cast<ParseState*>(data), "DTDs are not allowed");
}

void XMLCALL on_entity_decl(void* data, const XML_Char*, int, const XML_Char*, int, const XML_Char*, const XML_Char*,
                            const XML_Char*, const XML_Char*) {
  stop(*static_cast<ParseState*>(data), "entity declarations are not allowed");
}

int XMLCALL on_external_entity(XML_Parser, const XML_Char*, const XML_Char*, const XML_Char*, const XML_Char*) {
  return XML_STATUS_ERROR;  // never load anything
}

struct ParserDeleter {
  void operator()(XML_Parser parser) const { XML_ParserFree(parser); }
};

}  // namespace

const XmlElement* XmlElement::child(std::string_view want_ns, std::string_view want_name) const {
  for (const auto& c : children) {
    if (c.is(want_ns, want_name)) return &c;
  }
  return nullptr;
}

std::string_view XmlElement::attribute(std::string_view want_name) const {
  for (const auto& a : attributes) {
    if (a.name == want_name) return a.value;
  }
  return {};
}

Result<XmlElement> parse_xml(std::string_view document, const XmlLimits& limits) {
  if (document.size() > limits.max_bytes) return fail(Errc::invalid_syntax, "XML body too big");
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, ParserDeleter> parser(XML_ParserCreateNS(nullptr, kSeparator));
  if (!parser) return fail(Errc::internal, "cannot create XML parser");
  ParseState state;
  state.parser = parser.get();
  state.limits = &limits;
  XML_SetUserData(parser.get(), &state);
  XML_SetElementHandler(parser.get(), on_start, on_end);
  XML_SetCharacterDataHandler(parser.get(), on_text);
  XML_SetStartDoctypeDeclHandler(parser.get(), on_doctype);
  XML_SetEntityDeclHandler(parser.get(), on_entity_decl);
  XML_SetExternalEntityRefHandler(parser.get(), on_external_entity);
  XML_SetParamEntityParsing(parser.get(), XML_PARAM_ENTITY_PARSING_NEVER);
  auto status = XML_Parse(parser.get(), document.data(), static_cast<int>(document.size()), XML_TRUE);
  if (!state.error.empty()) return fail(Errc::invalid_syntax, state.error);
  if (status != XML_STATUS_OK) {
    return fail(Errc::invalid_syntax, std::string("malformed XML: ") + XML_ErrorString(XML_GetErrorCode(parser.get())));
  }
  if (!state.has_root) return fail(Errc::invalid_syntax, "no XML root element");
  return std::move(state.root);
}

}  // namespace bulwark::parse::dav_xml
