/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_APP_SOCKET_H
#define FORTIGATE_APP_SOCKET_H

#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"

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

} // namespace ns3

#endif // FORTIGATE_APP_SOCKET_H
