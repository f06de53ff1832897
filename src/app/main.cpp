// bulwark: one binary for the server and its administration. See README.md for every command.
#include <sys/stat.h>

#include <csignal>
#include <cstdio>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "app/admin_commands.h"
#include "app/config_loader.h"
#include "app/serve.h"
#include "base/log.h"

namespace {

std::optional<bulwark::Config> load_config(const std::string& flag, bool quiet,
                                           std::optional<std::filesystem::path>* file_out) {
  auto file = bulwark::app::find_config_file(flag.empty() ? std::nullopt : std::optional<std::string>(flag));
  if (!file) {
    std::fprintf(stderr, "bulwark: error: %s\n", file.error().detail.c_str());
    return std::nullopt;
  }
  if (file_out) *file_out = *file;
  if (!*file) {
    if (!quiet) std::fprintf(stderr, "bulwark: no bulwark.toml found; using built-in defaults\n");
    auto defaults = bulwark::app::load_config_text("");
    return defaults ? std::optional<bulwark::Config>(bulwark::app::with_default_listeners(*defaults)) : std::nullopt;
  }
  auto config = bulwark::app::load_config_file(**file);
  if (!config) {
    std::fprintf(stderr, "bulwark: error: %s\n", config.error().detail.c_str());
    return std::nullopt;
  }
  return *config;
}

}  // namespace

int main(int argc, char** argv) {
  ::umask(077);  // mail, keys and databases are nobody else's business
  std::signal(SIGPIPE, SIG_IGN);  // a peer that vanishes mid-write is an error value, not a process exit
  CLI::App app{"Bulwark: mail and calendar server"};
  app.set_version_flag("--version", std::string("bulwark ") + BULWARK_VERSION);
  std::string config_flag;
  app.add_option("-c,--config", config_flag, "configuration file (default ./bulwark.toml, then /etc/bulwark/bulwark.toml)");
  app.require_subcommand(1);
  app.fallthrough();

  auto* serve = app.add_subcommand("serve", "run the server in the foreground, logging to stderr");

  auto* config_cmd = app.add_subcommand("config", "configuration tools");
  config_cmd->require_subcommand(1);
  auto* check = config_cmd->add_subcommand("check", "validate the configuration and print the listeners");

  bulwark::app::AdminRequest request;
  auto* domain = app.add_subcommand("domain", "manage local domains");
  domain->require_subcommand(1);
  auto* domain_add = domain->add_subcommand("add", "add a domain");
  domain_add->add_option("NAME", request.name)->required();
  domain_add->add_flag("--case-sensitive", request.case_sensitive, "compare local parts case-sensitively");
  domain->add_subcommand("remove", "remove a domain (it must have no users or aliases)")
      ->add_option("NAME", request.name)->required();
  domain->add_subcommand("list", "list domains");

  auto* user = app.add_subcommand("user", "manage accounts");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "add an account");
  user_add->add_option("ADDRESS", request.name)->required();
  user_add->add_flag("--password-stdin", request.password_stdin, "read the password from the first line of stdin");
  user_add->add_option("--name", request.display_name, "full name");
  user_add->add_option("--quota", request.quota, "storage quota, e.g. 2G (default: none)");
  auto* user_passwd = user->add_subcommand("passwd", "set an account's password");
  user_passwd->add_option("ADDRESS", request.name)->required();
  user_passwd->add_flag("--password-stdin", request.password_stdin, "read the password from stdin")->required();
  user->add_subcommand("remove", "remove an account (its mail is kept in data_dir/removed)")
      ->add_option("ADDRESS", request.name)->required();
  user->add_subcommand("list", "list accounts")->add_option("DOMAIN", request.name);

  auto* alias = app.add_subcommand("alias", "manage aliases (ALIAS may be @domain for a catch-all)");
  alias->require_subcommand(1);
  auto* alias_add = alias->add_subcommand("add", "add an alias");
  alias_add->add_option("ALIAS", request.name)->required();
  alias_add->add_option("TARGET", request.targets)->required();
  alias->add_subcommand("remove", "remove an alias")->add_option("ALIAS", request.name)->required();
  alias->add_subcommand("list", "list aliases");

  auto* queue = app.add_subcommand("queue", "inspect and steer the outbound queue");
  queue->require_subcommand(1);
  queue->add_subcommand("list", "list queued messages");
  queue->add_subcommand("show", "show one message and each recipient's state")->add_option("ID", request.name)->required();
  auto* queue_retry = queue->add_subcommand("retry", "make a message (or --all) due now");
  queue_retry->add_option("ID", request.name);
  queue_retry->add_flag("--all", request.all, "every queued message");
  queue->add_subcommand("delete", "drop a message without a bounce")->add_option("ID", request.name)->required();

  auto* dkim = app.add_subcommand("dkim", "DKIM signing keys for outbound mail");
  dkim->require_subcommand(1);
  auto* dkim_generate = dkim->add_subcommand("generate", "create a signing key for DOMAIN and print its DNS TXT record");
  dkim_generate->add_option("DOMAIN", request.name)->required();
  request.selector = "bulwark";
  request.algorithm = "rsa";
  dkim_generate->add_option("--selector", request.selector, "selector (default bulwark)");
  dkim_generate->add_option("--algorithm", request.algorithm, "rsa (2048-bit, default) or ed25519")
      ->check(CLI::IsMember({"rsa", "ed25519"}));
  dkim_generate->add_flag("--force", request.force, "replace an existing key with this selector");

  auto* search_index = app.add_subcommand("search-index", "the IMAP SEARCH index (docs/search-index.md)");
  search_index->require_subcommand(1);
  search_index->add_subcommand("build", "bring every account's index up to date now (like doveadm index)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  std::optional<std::filesystem::path> config_file;
  bool is_serve = serve->parsed();
  auto config = load_config(config_flag, !is_serve, &config_file);
  if (!config) return 1;

  if (is_serve) {
    bulwark::log::init(config->log_level);
    return bulwark::app::serve(*config, config_file);
  }
  if (check->parsed()) return bulwark::app::config_check(*config);

  for (auto* object : {domain, user, alias, queue, dkim, search_index}) {
    if (!object->parsed()) continue;
    request.object = object->get_name();
    for (auto* action : object->get_subcommands()) {
      if (action->parsed()) request.action = action->get_name();
    }
  }
  return bulwark::app::run_admin_command(*config, request);
}
