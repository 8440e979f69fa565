/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_APP_SOCKET_H
#define FORTIGATE_APP_SOCKET_H

#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * Close a socket of one of the module's applications: detach every callback (so nothing calls
 * back into an application being stopped or a connection being dropped), read what is still
 * unread (ns-3's TCP answers Close() with a RST when bytes are left), then Close(). Does
 * nothing for a null socket.
 */
inline void
CloseAppSocket(Ptr<Socket> socket)
{
    if (!socket)
    {
        return;
    }
    socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
    socket->SetSendCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
    socket->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                              MakeNullCallback<void, Ptr<Socket>>());
    socket->SetConnectCallback(MakeNullCallback<void, Ptr<Socket>>(),
                               MakeNullCallback<void, Ptr<Socket>>());
    socket->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                              MakeNullCallback<void, Ptr<Socket>, const Address&>());
    while (Ptr<Packet> p = socket->Recv())
    {
        if (p->GetSize() == 0)
        {
            break;
        }
    }
    socket->Close();
}

/**
 * \ingroup fortigate
 * Append the bytes \p socket has ready (every packet Recv gives) to \p buf: a stream
 * application's reassembly buffer.
 */
inline void
AppendReceived(Ptr<Socket> socket, std::vector<uint8_t>& buf)
{
    while (Ptr<Packet> p = socket->Recv())
    {
        if (p->GetSize() == 0)
        {
            break;
        }
        const std::size_t at = buf.size();
        buf.resize(at + p->GetSize());
        p->CopyData(buf.data() + at, p->GetSize());
    }
}

/// \return the bytes of \p p
inline std::vector<uint8_t>
PacketBytes(Ptr<const Packet> p)
{
    std::vector<uint8_t> b(p->GetSize());
    p->CopyData(b.data(), b.size());
    return b;
}

/// Send \p bytes on \p socket as one packet (to \p to when given, else to its peer).
inline void
SendBytes(Ptr<Socket> socket, const std::vector<uint8_t>& bytes, const Address* to = nullptr)
{
    Ptr<Packet> p = Create<Packet>(bytes.data(), bytes.size());
    if (to)
    {
        socket->SendTo(p, 0, *to);
    }
    else
    {
        socket->Send(p);
    }
}

} // namespace ns3

#endif // FORTIGATE_APP_SOCKET_H
