"""No network for any Python started with this folder on PYTHONPATH (tests only).

Creating an Internet socket, resolving a name or opening a connection raises, and is
written to the file named by NETTERM_NONET_LOG, so a caller that swallows the error is
still caught. Local sockets (AF_UNIX, socketpair: asyncio's self-pipe) stay allowed.
"""

import os
import socket

_LOG = os.environ.get("NETTERM_NONET_LOG")
_INET = {socket.AF_INET, getattr(socket, "AF_INET6", socket.AF_INET)}


def _refuse(what, *args):
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(f"{what} {args!r}\n")
    raise OSError(f"network access is forbidden in this test ({what})")


_socket_init = socket.socket.__init__


def _init(self, family=-1, type=-1, proto=-1, fileno=None):
    if fileno is None and (socket.AF_INET if family == -1 else family) in _INET:
        _refuse("socket", family, type)
    _socket_init(self, family, type, proto, fileno)


def _connect(self, address, *rest):
    if self.family in _INET:
        _refuse("connect", address)
    return _socket_connect(self, address, *rest)


_socket_connect = socket.socket.connect
socket.socket.__init__ = _init
socket.socket.connect = _connect
socket.socket.connect_ex = _connect
socket.create_connection = lambda address, *a, **k: _refuse("create_connection", address)
socket.getaddrinfo = lambda host, *a, **k: _refuse("getaddrinfo", host)
socket.gethostbyname = lambda host: _refuse("gethostbyname", host)
socket.gethostbyname_ex = lambda host: _refuse("gethostbyname_ex", host)
