// REPORT (RFC 3253 3.6) as CalDAV, CardDAV and RFC 6578 define it: sync-collection, calendar-query,
// calendar-multiget, free-busy-query, addressbook-query, addressbook-multiget.
#include <algorithm>
#include <cctype>

#include "parse/dav_xml/xml_writer.h"
#include "parse/ical/calendar_output.h"
#include "parse/ical/occurrences.h"
#include "parse/vcard/vcard.h"
#include "protocol/dav/dav_context.h"

namespace bulwark::protocol::dav {
namespace {

namespace xml = parse::dav_xml;
namespace ical = parse::ical;
using store::CollectionKind;

// What each matching resource reports: the <d:prop> list, and for calendar-data an optional expansion range.
struct ReportProps {
  std::vector<PropName> names;
  std::optional<ical::TimeRange> expand;
};

Result<ical::TimeRange> read_time_range(const XmlElement& element) {
  ical::TimeRange range{std::int64_t{-1} << 50, std::int64_t{1} << 50};
  auto start = element.attribute("start");
  auto end = element.attribute("end");
  if (start.empty() && end.empty()) return fail(Errc::invalid_syntax, "time-range needs start or end");
  if (!start.empty()) {
    BULWARK_TRY_ASSIGN(range.start, ical::parse_utc_time(start));
  }
  if (!end.empty()) {
    BULWARK_TRY_ASSIGN(range.end, ical::parse_utc_time(end));
  }
  if (range.end <= range.start) return fail(Errc::invalid_syntax, "time-range end is not after its start");
  return range;
}

Result<ReportProps> read_report_props(const XmlElement& report) {
  ReportProps out;
  if (const auto* prop = report.child(xml::kDav, "prop")) {
    out.names = requested_props(*prop);
    for (const auto& p : prop->children) {
      if (!p.is(xml::kCalDav, "calendar-data")) continue;
      if (const auto* expand = p.child(xml::kCalDav, "expand")) {
        BULWARK_TRY_ASSIGN(out.expand, read_time_range(*expand));
      }
    }
  } else {
    out.names = {{std::string(xml::kDav), "getetag"}};
  }
  return out;
}

bool wants_content(const ReportProps& props) {
  return std::any_of(props.names.begin(), props.names.end(), [](const PropName& n) {
    return n.name == "calendar-data" || n.name == "address-data" || n.name == "getcontentlength";
  });
}

// `collection_href` is href_of() the collection, computed once per report rather than once per resource.
void add_resource(Multistatus& ms, const DavContext& ctx, std::string_view collection_href, CollectionKind kind,
                  const store::ResourceInfo& resource, const ReportProps& props) {
  std::vector<PropValue> found;
  std::vector<PropName> missing;
  const PropName* data_name = nullptr;  // calendar-data / address-data, escaped straight into the document
  for (const auto& name : props.names) {
    const bool is_data = kind == CollectionKind::calendar ? name.ns == xml::kCalDav && name.name == "calendar-data"
                                                          : name.ns == xml::kCardDav && name.name == "address-data";
    if (is_data && !props.expand && !data_name) {
      data_name = &name;
      continue;
    }
    if (props.expand && name.ns == xml::kCalDav && name.name == "calendar-data") {
      auto expanded = ical::expand_object(resource.content, resource.component, *props.expand,
                                          ctx.config.dav.max_recurrence_instances);
      if (expanded) {
        found.push_back({name, xml::xml_escape(*expanded)});
        continue;
      }
    }
    auto value = resource_property(ctx, kind, resource, name);
    if (value) {
      found.push_back({name, std::move(*value)});
    } else {
      missing.push_back(name);
    }
  }
  auto href = std::string(collection_href) + percent_encode_segment(resource.name);
  if (data_name) {
    ms.add_with_text(href, found, *data_name, resource.content, missing);
  } else {
    ms.add(href, found, missing);
  }
}

// Sizes the document once: with calendar-data, a year-long query answers megabytes, and growing the buffer by
// doubling would copy it again and again.
void reserve_for(Multistatus& ms, const std::vector<store::ResourceInfo>& resources, const ReportProps& props) {
  std::size_t bytes = 0;
  const bool content = wants_content(props);
  for (const auto& r : resources) {
    bytes += 256 + r.name.size() + (content ? r.content.size() + r.content.size() / 16 : 0);
  }
  ms.reserve(bytes);
}

std::string_view number_of_matches_error() { return "<d:number-of-matches-within-limits/>"; }

// --- calendar-query (RFC 4791 7.8) ---

struct CalendarFilter {
  std::string component;  // VEVENT / VTODO / VJOURNAL; empty: any
  std::optional<ical::TimeRange> range;
  struct Property {
    std::string name;
    std::string text;          // text-match (contains, case-insensitive); empty with defined: just present
    bool is_not_defined = false;
    bool negate = false;
  };
  std::vector<Property> properties;
};

Result<CalendarFilter> read_calendar_filter(const XmlElement& report) {
  CalendarFilter out;
  const auto* filter = report.child(xml::kCalDav, "filter");
  if (!filter) return fail(Errc::invalid_syntax, "calendar-query needs a CALDAV:filter");
  const auto* calendar = filter->child(xml::kCalDav, "comp-filter");
  if (!calendar || calendar->attribute("name") != "VCALENDAR") {
    return fail(Errc::invalid_syntax, "the filter must start with comp-filter VCALENDAR");
  }
  const auto* comp = calendar->child(xml::kCalDav, "comp-filter");
  if (!comp) return out;
  out.component = std::string(comp->attribute("name"));
  if (out.component != "VEVENT" && out.component != "VTODO" && out.component != "VJOURNAL" &&
      out.component != "VFREEBUSY") {
    return fail(Errc::invalid_syntax, "unsupported comp-filter " + out.component);
  }
  if (const auto* range = comp->child(xml::kCalDav, "time-range")) {
    BULWARK_TRY_ASSIGN(out.range, read_time_range(*range));
  }
  for (const auto& p : comp->children) {
    if (!p.is(xml::kCalDav, "prop-filter")) continue;
    CalendarFilter::Property prop;
    prop.name = std::string(p.attribute("name"));
    prop.is_not_defined = p.child(xml::kCalDav, "is-not-defined") != nullptr;
    if (const auto* match = p.child(xml::kCalDav, "text-match")) {
      prop.text = match->text;
      prop.negate = match->attribute("negate-condition") == "yes";
    }
    out.properties.push_back(std::move(prop));
  }
  return out;
}

Result<bool> matches_properties(const store::ResourceInfo& resource, const CalendarFilter& filter) {
  for (const auto& prop : filter.properties) {
    BULWARK_TRY_ASSIGN(bool defined, ical::property_matches(resource.content, resource.component, prop.name, ""));
    if (prop.is_not_defined) {
      if (defined) return false;
      continue;
    }
    if (!defined) return false;
    if (!prop.text.empty()) {
      BULWARK_TRY_ASSIGN(bool hit, ical::property_matches(resource.content, resource.component, prop.name, prop.text));
      if (hit == prop.negate) return false;
    }
  }
  return true;
}

Result<std::vector<store::ResourceInfo>> calendar_candidates(const DavContext& ctx, const store::CollectionInfo& info,
                                                              const CalendarFilter& filter) {
  std::vector<store::ResourceInfo> out;
  if (filter.range) {
    BULWARK_TRY_ASSIGN(out, ctx.store.resources_overlapping(ctx.who, info.ref, filter.component, filter.range->start,
                                                            filter.range->end, true));
  } else {
    BULWARK_TRY_ASSIGN(out, ctx.store.list_resources(ctx.who, info.ref, true));
    if (!filter.component.empty()) {
      std::erase_if(out, [&](const store::ResourceInfo& r) { return r.component != filter.component; });
    }
  }
  std::vector<store::ResourceInfo> matching;
  for (auto& resource : out) {
    // The index span is exact for single events; recurring ones are expanded (bounded) to check, unless their
    // first occurrence (the indexed start, a real occurrence: ical::CalendarObject::start) starts in the range.
    const bool first_starts_inside =
        filter.range && resource.start >= filter.range->start && resource.start < filter.range->end;
    if (filter.range && resource.is_recurring && !first_starts_inside) {
      BULWARK_TRY_ASSIGN(bool hit, ical::overlaps(resource.content, resource.component, *filter.range,
                                                  ctx.config.dav.max_recurrence_instances));
      if (!hit) continue;
    }
    if (!filter.properties.empty()) {
      BULWARK_TRY_ASSIGN(bool hit, matches_properties(resource, filter));
      if (!hit) continue;
    }
    matching.push_back(std::move(resource));
  }
  return matching;
}

HttpResponse calendar_query(DavContext& ctx, const DavPath& path, const store::CollectionInfo& info,
                            const XmlElement& report) {
  auto props = read_report_props(report);
  if (!props) return error_response(props.error());
  auto filter = read_calendar_filter(report);
  if (!filter) return precondition_response(403, xml::kCalDav, "valid-filter", filter.error().detail);
  auto matching = calendar_candidates(ctx, info, *filter);
  if (!matching) return error_response(matching.error());
  Multistatus ms;
  reserve_for(ms, *matching, *props);
  const std::string base = href_of(path);
  std::size_t count = 0;
  for (const auto& resource : *matching) {
    if (++count > ctx.config.dav.max_query_results) {
      ms.add_status(href_of(path), 507, number_of_matches_error());
      break;
    }
    add_resource(ms, ctx, base, info.kind, resource, *props);
  }
  return xml_response(207, std::move(ms).take());
}

// --- multiget (RFC 4791 7.9, RFC 6352 8.7) ---

HttpResponse multiget(DavContext& ctx, const DavPath& path, const store::CollectionInfo& info,
                      const XmlElement& report) {
  auto props = read_report_props(report);
  if (!props) return error_response(props.error());
  std::vector<std::string> names;
  std::vector<std::string> foreign;  // hrefs outside this collection
  for (const auto& c : report.children) {
    if (!c.is(xml::kDav, "href")) continue;
    if (names.size() + foreign.size() >= ctx.config.dav.max_multiget_hrefs) {
      return HttpResponse::text(413, "Too many hrefs in one multiget\n");
    }
    auto target = parse_dav_path(c.text);
    if (!target || target->kind != PathKind::resource || target->collection != path.collection ||
        target->collection_kind != path.collection_kind || target->user != path.user) {
      foreign.push_back(c.text);
      continue;
    }
    names.push_back(target->resource);
  }
  auto found = ctx.store.get_resources(ctx.who, info.ref, names, true);
  if (!found) return error_response(found.error());
  Multistatus ms;
  reserve_for(ms, *found, *props);
  const std::string base = href_of(path);
  for (const auto& name : names) {
    auto it = std::find_if(found->begin(), found->end(), [&](const store::ResourceInfo& r) { return r.name == name; });
    if (it == found->end()) {
      DavPath missing = path;
      missing.kind = PathKind::resource;
      missing.resource = name;
      ms.add_status(href_of(missing), 404);
    } else {
      add_resource(ms, ctx, base, info.kind, *it, *props);
    }
  }
  for (const auto& href : foreign) ms.add_status(href, 404);
  return xml_response(207, std::move(ms).take());
}

// --- sync-collection (RFC 6578 3.2) ---

HttpResponse sync_collection(DavContext& ctx, const DavPath& path, const store::CollectionInfo& info,
                             const XmlElement& report) {
  auto props = read_report_props(report);
  if (!props) return error_response(props.error());
  std::uint64_t since = 0;
  if (const auto* token = report.child(xml::kDav, "sync-token"); token && !token->text.empty()) {
    auto parsed = parse_sync_token(token->text);
    if (!parsed) return precondition_response(403, xml::kDav, "valid-sync-token", "unknown sync-token");
    since = *parsed;
  }
  auto changes = ctx.store.changes_since(ctx.who, info.ref, since);
  if (!changes) {
    if (changes.error().code == Errc::invalid_argument) {
      return precondition_response(403, xml::kDav, "valid-sync-token", "unknown sync-token");
    }
    return error_response(changes.error());
  }
  Multistatus ms;
  std::vector<std::string> names;
  for (const auto& r : changes->changed) names.push_back(r.name);
  std::vector<store::ResourceInfo> changed = std::move(changes->changed);
  if (wants_content(*props)) {
    auto loaded = ctx.store.get_resources(ctx.who, info.ref, names, true);
    if (!loaded) return error_response(loaded.error());
    changed = std::move(*loaded);
  }
  const std::string base = href_of(path);
  for (const auto& resource : changed) add_resource(ms, ctx, base, info.kind, resource, *props);
  for (const auto& name : changes->removed) {
    DavPath gone = path;
    gone.kind = PathKind::resource;
    gone.resource = name;
    ms.add_status(href_of(gone), 404);
  }
  ms.set_sync_token(sync_token_for(changes->sync_seq));
  return xml_response(207, ms.render());
}

// --- free-busy-query (RFC 4791 7.10) ---

HttpResponse free_busy_query(DavContext& ctx, const store::CollectionInfo& info, const XmlElement& report) {
  const auto* range_element = report.child(xml::kCalDav, "time-range");
  if (!range_element) return HttpResponse::text(400, "free-busy-query needs a time-range\n");
  auto range = read_time_range(*range_element);
  if (!range) return error_response(range.error());
  auto candidates = ctx.store.resources_overlapping(ctx.who, info.ref, "VEVENT", range->start, range->end, true);
  if (!candidates) return error_response(candidates.error());
  std::vector<std::pair<std::int64_t, std::int64_t>> busy;
  for (const auto& resource : *candidates) {
    auto set = ical::occurrences_in(resource.content, "VEVENT", *range, ctx.config.dav.max_recurrence_instances);
    if (!set) continue;
    for (const auto& o : set->items) {
      if (!o.is_transparent && o.end > o.start) busy.emplace_back(o.start, o.end);
    }
  }
  HttpResponse r;
  r.status = 200;
  r.body = ical::free_busy_calendar(std::move(busy), *range);
  r.with("Content-Type", "text/calendar; charset=utf-8");
  return r;
}

// --- addressbook-query (RFC 6352 8.6) ---

bool text_matches(std::string_view value, std::string_view needle, std::string_view match_type) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
  };
  const std::string v = lower(value), n = lower(needle);
  if (match_type == "equals") return v == n;
  if (match_type == "starts-with") return v.starts_with(n);
  if (match_type == "ends-with") return v.ends_with(n);
  return v.find(n) != std::string::npos;
}

bool card_matches(const parse::vcard::VCard& card, const XmlElement& filter) {
  const bool all_of = filter.attribute("test") == "allof";
  bool any = false, every = true, seen = false;
  for (const auto& pf : filter.children) {
    if (!pf.is(xml::kCardDav, "prop-filter")) continue;
    seen = true;
    std::string name(pf.attribute("name"));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
    bool hit = false;
    if (pf.child(xml::kCardDav, "is-not-defined")) {
      hit = !card.matches(name, "");
    } else if (const auto* tm = pf.child(xml::kCardDav, "text-match")) {
      const bool negate = tm->attribute("negate-condition") == "yes";
      for (const auto& p : card.properties) {
        if (p.name == name && text_matches(p.value, tm->text, tm->attribute("match-type")) != negate) hit = true;
      }
    } else {
      hit = card.matches(name, "");
    }
    any = any || hit;
    every = every && hit;
  }
  if (!seen) return true;
  return all_of ? every : any;
}

HttpResponse addressbook_query(DavContext& ctx, const DavPath& path, const store::CollectionInfo& info,
                               const XmlElement& report) {
  auto props = read_report_props(report);
  if (!props) return error_response(props.error());
  auto all = ctx.store.list_resources(ctx.who, info.ref, true);
  if (!all) return error_response(all.error());
  const auto* filter = report.child(xml::kCardDav, "filter");
  Multistatus ms;
  const std::string base = href_of(path);
  std::size_t count = 0;
  parse::vcard::VCardLimits limits;
  limits.max_bytes = ctx.config.dav.max_resource_bytes;
  for (const auto& resource : *all) {
    if (filter) {
      auto card = parse::vcard::parse_vcard(resource.content, limits);
      if (!card || !card_matches(*card, *filter)) continue;
    }
    if (++count > ctx.config.dav.max_query_results) {
      ms.add_status(href_of(path), 507, number_of_matches_error());
      break;
    }
    add_resource(ms, ctx, base, info.kind, resource, *props);
  }
  return xml_response(207, ms.render());
}

}  // namespace

HttpResponse do_report(DavContext& ctx, const DavPath& path) {
  auto body = ctx.body_xml();
  if (!body) return error_response(body.error());
  if (!*body) return HttpResponse::text(400, "REPORT needs a body\n");
  const XmlElement& report = **body;
  if (path.kind != PathKind::collection) {
    return precondition_response(403, xml::kDav, "supported-report", "reports are run on a calendar or address book");
  }
  auto info = ctx.collection(path);
  if (!info) return error_response(info.error());
  const bool calendar = info->kind == CollectionKind::calendar;
  if (report.is(xml::kDav, "sync-collection")) return sync_collection(ctx, path, *info, report);
  if (calendar && report.is(xml::kCalDav, "calendar-query")) return calendar_query(ctx, path, *info, report);
  if (calendar && report.is(xml::kCalDav, "calendar-multiget")) return multiget(ctx, path, *info, report);
  if (calendar && report.is(xml::kCalDav, "free-busy-query")) return free_busy_query(ctx, *info, report);
  if (!calendar && report.is(xml::kCardDav, "addressbook-query")) return addressbook_query(ctx, path, *info, report);
  if (!calendar && report.is(xml::kCardDav, "addressbook-multiget")) return multiget(ctx, path, *info, report);
  return precondition_response(403, xml::kDav, "supported-report", "this report is not supported here");
}

}  // namespace bulwark::protocol::dav
