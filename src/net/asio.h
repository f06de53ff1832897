// The one place Asio is included from, with the names the rest of the code uses. Keep it out of headers that
// parsers, the domain or the store include (compile time, and those layers do no I/O).
#pragma once

#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl.hpp>

namespace bulwark::net {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
template <class T = void>
using awaitable = asio::awaitable<T>;
inline constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
}  // namespace bulwark::net
