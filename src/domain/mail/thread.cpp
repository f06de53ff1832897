#include "domain/mail/thread.h"

#include <algorithm>
#include <unordered_map>

namespace bulwark::domain::mail {
namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// Sort key of a node: its message's sent date, then its position in the input (message-number order).
struct DateKey {
  std::int64_t date = 0;
  std::size_t order = 0;
  bool operator<(const DateKey& other) const {
    return date != other.date ? date < other.date : order < other.order;
  }
};

// The working tree of the REFERENCES algorithm: containers that hold a message (index) or are dummies.
struct Container {
  std::size_t message = kNone;
  std::size_t parent = kNone;
  std::size_t child_count = 0;  // during step 1, when only parent links exist
  std::vector<std::size_t> children;
  DateKey key;
  bool is_dummy() const { return message == kNone; }
};

class ReferenceThreader {
 public:
  explicit ReferenceThreader(const std::vector<ThreadMessage>& messages) : messages_(messages) {}

  ThreadForest run() {
    link_messages();                   // step 1
    std::vector<std::size_t> roots = gather_roots();  // step 2 (and 3: the id table is no longer used)
    roots = prune(roots);              // step 3 of RFC 5256 ("prune dummies")
    sort_siblings(roots);              // step 4
    roots = merge_by_subject(roots);   // step 5
    sort_siblings(roots);              // step 6
    return to_forest(roots);
  }

 private:
  std::size_t make_container() {
    containers_.push_back(Container{});
    return containers_.size() - 1;
  }

  std::size_t container_for(const std::string& id) {
    auto [it, is_new] = by_id_.try_emplace(id, kNone);
    if (is_new) it->second = make_container();
    return it->second;
  }

  // True when `ancestor` is `node` or above it. A container without children is nobody's ancestor, which
  // keeps the common case (a new message below its references) from walking the whole chain.
  bool is_ancestor(std::size_t ancestor, std::size_t node) const {
    if (ancestor != node && containers_[ancestor].child_count == 0) return false;
    for (std::size_t at = node; at != kNone; at = containers_[at].parent) {
      if (at == ancestor) return true;
    }
    return false;
  }

  void set_parent(std::size_t child, std::size_t parent) {
    Container& container = containers_[child];
    if (container.parent != kNone) --containers_[container.parent].child_count;
    container.parent = parent;
    if (parent != kNone) ++containers_[parent].child_count;
  }

  // Step 1: containers for every message id and reference, parent links from the references.
  void link_messages() {
    for (std::size_t i = 0; i < messages_.size(); ++i) {
      const ThreadMessage& message = messages_[i];
      // 1: a missing or duplicate Message-ID gets a unique one (a container not in the table).
      std::size_t self = kNone;
      if (!message.message_id.empty()) {
        std::size_t existing = container_for(message.message_id);
        if (containers_[existing].is_dummy()) self = existing;
      }
      if (self == kNone) self = make_container();
      containers_[self].message = i;
      // 1A: link the references as a chain; an existing parent link wins, and no link may make a loop.
      std::size_t previous = kNone;
      for (const std::string& reference : message.references) {
        std::size_t current = container_for(reference);
        if (previous != kNone && containers_[current].parent == kNone && !is_ancestor(current, previous)) {
          set_parent(current, previous);
        }
        previous = current;
      }
      // 1B: the last reference becomes the message's parent, replacing any parent it had (unless a loop).
      set_parent(self, kNone);
      if (previous != kNone && !is_ancestor(self, previous)) set_parent(self, previous);
    }
  }

  std::vector<std::size_t> gather_roots() {
    std::vector<std::size_t> roots;
    for (std::size_t c = 0; c < containers_.size(); ++c) {
      const std::size_t parent = containers_[c].parent;
      if (parent == kNone) roots.push_back(c);
      else containers_[parent].children.push_back(c);
    }
    return roots;
  }

  // Containers below `roots` in post-order (children before their parent), iteratively.
  std::vector<std::size_t> post_order(const std::vector<std::size_t>& roots) const {
    std::vector<std::size_t> order;
    std::vector<std::pair<std::size_t, std::size_t>> stack;  // (container, next child)
    for (std::size_t root : roots) {
      stack.emplace_back(root, 0);
      while (!stack.empty()) {
        auto& [node, next] = stack.back();
        if (next < containers_[node].children.size()) {
          const std::size_t child = containers_[node].children[next++];
          stack.emplace_back(child, 0);
        } else {
          order.push_back(node);
          stack.pop_back();
        }
      }
    }
    return order;
  }

  // Step 3: a dummy without children goes; a dummy with children gives way to them, except at the top
  // level where it stays unless it has exactly one child.
  std::vector<std::size_t> splice(const std::vector<std::size_t>& siblings, bool is_top) const {
    std::vector<std::size_t> out;
    for (std::size_t c : siblings) {
      const Container& container = containers_[c];
      if (!container.is_dummy()) {
        out.push_back(c);
      } else if (!container.children.empty()) {
        if (is_top && container.children.size() > 1) {
          out.push_back(c);
        } else {
          out.insert(out.end(), container.children.begin(), container.children.end());
        }
      }
    }
    return out;
  }

  std::vector<std::size_t> prune(const std::vector<std::size_t>& roots) {
    for (std::size_t c : post_order(roots)) containers_[c].children = splice(containers_[c].children, false);
    auto top = splice(roots, true);
    for (std::size_t c : top) containers_[c].parent = kNone;
    for (std::size_t c : post_order(top)) {
      for (std::size_t child : containers_[c].children) containers_[child].parent = c;
    }
    return top;
  }

  // Steps 4 and 6: every set of siblings by sent date; a dummy sorts as its first child.
  void sort_siblings(std::vector<std::size_t>& roots) {
    auto by_key = [this](std::size_t a, std::size_t b) { return containers_[a].key < containers_[b].key; };
    for (std::size_t c : post_order(roots)) {
      Container& container = containers_[c];
      std::stable_sort(container.children.begin(), container.children.end(), by_key);
      if (!container.is_dummy()) {
        container.key = DateKey{messages_[container.message].sent_date, container.message};
      } else if (!container.children.empty()) {
        container.key = containers_[container.children.front()].key;
      }
    }
    std::stable_sort(roots.begin(), roots.end(), by_key);
  }

  // The message that gives a top-level thread its subject: itself, or a dummy's first child.
  const ThreadMessage* subject_message(std::size_t c) const {
    const Container& container = containers_[c];
    if (!container.is_dummy()) return &messages_[container.message];
    if (container.children.empty()) return nullptr;
    const Container& first = containers_[container.children.front()];
    return first.is_dummy() ? nullptr : &messages_[first.message];
  }

  bool is_reply(std::size_t c) const {
    return !containers_[c].is_dummy() && messages_[containers_[c].message].subject.is_reply_or_forward;
  }

  void adopt(std::size_t parent, std::size_t child) {
    containers_[parent].children.push_back(child);
    containers_[child].parent = parent;
  }

  // Step 5: top-level threads with the same base subject are gathered.
  std::vector<std::size_t> merge_by_subject(const std::vector<std::size_t>& roots) {
    std::unordered_map<std::string, std::size_t> table;  // 5A
    auto thread_subject = [this](std::size_t c) {
      const ThreadMessage* m = subject_message(c);
      return m == nullptr ? std::string() : ascii_casemap_key(m->subject.text);
    };
    for (std::size_t c : roots) {  // 5B
      std::string subject = thread_subject(c);
      if (subject.empty()) continue;
      auto [it, is_new] = table.try_emplace(subject, c);
      if (is_new) continue;
      const std::size_t held = it->second;
      if (!containers_[held].is_dummy() && (containers_[c].is_dummy() || (is_reply(held) && !is_reply(c)))) {
        it->second = c;
      }
    }
    std::vector<std::size_t> top = roots;  // 5C; kNone marks a thread merged into another
    for (std::size_t i = 0; i < top.size(); ++i) {
      const std::size_t c = top[i];
      if (c == kNone) continue;
      std::string subject = thread_subject(c);
      if (subject.empty()) continue;
      auto it = table.find(subject);
      if (it == table.end() || it->second == c) continue;
      const std::size_t held = it->second;
      if (containers_[held].is_dummy() && containers_[c].is_dummy()) {
        for (std::size_t child : containers_[c].children) adopt(held, child);
        containers_[c].children.clear();
      } else if (containers_[held].is_dummy() || (is_reply(c) && !is_reply(held))) {
        adopt(held, c);
      } else {
        const std::size_t dummy = make_container();
        std::replace(top.begin(), top.end(), held, dummy);
        adopt(dummy, held);
        adopt(dummy, c);
        it->second = dummy;
      }
      top[i] = kNone;
    }
    std::erase(top, kNone);
    return top;
  }

  ThreadForest to_forest(const std::vector<std::size_t>& roots) const {
    ThreadForest forest;
    std::vector<std::size_t> index(containers_.size(), kNone);
    for (std::size_t c : post_order(roots)) {
      ThreadNode node;
      const Container& container = containers_[c];
      node.number = container.is_dummy() ? 0 : messages_[container.message].number;
      for (std::size_t child : container.children) node.children.push_back(index[child]);
      index[c] = forest.nodes.size();
      forest.nodes.push_back(std::move(node));
    }
    for (std::size_t c : roots) forest.roots.push_back(index[c]);
    return forest;
  }

  const std::vector<ThreadMessage>& messages_;
  std::vector<Container> containers_;
  std::unordered_map<std::string, std::size_t> by_id_;
};

}  // namespace

ThreadForest thread_references(const std::vector<ThreadMessage>& messages) {
  ReferenceThreader threader(messages);
  return threader.run();
}

ThreadForest thread_ordered_subject(const std::vector<ThreadMessage>& messages) {
  // Sorted by base subject (i;ascii-casemap), then sent date, then message number order.
  std::vector<std::size_t> order(messages.size());
  std::vector<std::string> keys(messages.size());
  for (std::size_t i = 0; i < messages.size(); ++i) {
    order[i] = i;
    keys[i] = ascii_casemap_key(messages[i].subject.text);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (keys[a] != keys[b]) return keys[a] < keys[b];
    return DateKey{messages[a].sent_date, a} < DateKey{messages[b].sent_date, b};
  });
  // One thread per subject: the first message is the parent, the others its children in date order.
  ThreadForest forest;
  std::vector<DateKey> thread_keys;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const ThreadMessage& message = messages[order[i]];
    if (i > 0 && keys[order[i]] == keys[order[i - 1]]) {
      forest.nodes[forest.roots.back()].children.push_back(forest.nodes.size());
      forest.nodes.push_back(ThreadNode{message.number, {}});
      continue;
    }
    forest.roots.push_back(forest.nodes.size());
    thread_keys.push_back(DateKey{message.sent_date, order[i]});
    forest.nodes.push_back(ThreadNode{message.number, {}});
  }
  // Threads by the sent date of their first message.
  std::vector<std::size_t> by_date(forest.roots.size());
  for (std::size_t i = 0; i < by_date.size(); ++i) by_date[i] = i;
  std::stable_sort(by_date.begin(), by_date.end(),
                   [&](std::size_t a, std::size_t b) { return thread_keys[a] < thread_keys[b]; });
  std::vector<std::size_t> roots;
  for (std::size_t i : by_date) roots.push_back(forest.roots[i]);
  forest.roots = std::move(roots);
  return forest;
}

std::vector<std::string> parse_msg_ids(std::string_view value, std::size_t max_ids) {
  std::vector<std::string> ids;
  std::size_t i = 0;
  while (i < value.size()) {
    const std::size_t open = value.find('<', i);
    if (open == std::string_view::npos) break;
    const std::size_t close = value.find('>', open + 1);
    if (close == std::string_view::npos) break;
    std::string_view id = value.substr(open + 1, close - open - 1);
    i = close + 1;
    // A msg-id has an "@" and no whitespace or nested "<" (RFC 5322 3.6.4); anything else is not one.
    const std::size_t at = id.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == id.size() ||
        id.find_first_of(" \t\r\n<") != std::string_view::npos) {
      continue;
    }
    ids.emplace_back(id);
  }
  if (ids.size() > max_ids) ids.erase(ids.begin(), ids.end() - static_cast<std::ptrdiff_t>(max_ids));
  return ids;
}

std::string format_thread_list(const ThreadForest& threads) {
  // RFC 5256 4: thread-list = "(" (thread-members / thread-nested) ")"; a chain of only children is written
  // flat, several children each in their own parentheses. Iterative: tasks on an explicit stack.
  struct Task {
    std::size_t node;
    char kind;  // 'm' the members of node, or a literal '(' / ')'
  };
  std::string out;
  std::vector<Task> stack;
  auto push_nested = [&](const ThreadNode& node) {
    for (auto it = node.children.rbegin(); it != node.children.rend(); ++it) {
      stack.push_back({0, ')'});
      stack.push_back({*it, 'm'});
      stack.push_back({0, '('});
    }
  };
  for (std::size_t root : threads.roots) {
    stack.push_back({0, ')'});
    stack.push_back({root, 'm'});
    stack.push_back({0, '('});
    while (!stack.empty()) {
      const Task task = stack.back();
      stack.pop_back();
      if (task.kind != 'm') {
        out.push_back(task.kind);
        continue;
      }
      const ThreadNode* node = &threads.nodes[task.node];
      if (node->number == 0 && node->children.size() == 1) {
        stack.push_back({node->children.front(), 'm'});
        continue;
      }
      if (node->number == 0) {
        push_nested(*node);
        continue;
      }
      out += std::to_string(node->number);
      while (node->children.size() == 1 && threads.nodes[node->children.front()].number != 0) {
        node = &threads.nodes[node->children.front()];
        out += ' ';
        out += std::to_string(node->number);
      }
      if (!node->children.empty()) {
        out += ' ';
        push_nested(*node);
      }
    }
  }
  return out;
}

}  // namespace bulwark::domain::mail
