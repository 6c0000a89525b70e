"""The web widget's socket.io protocol through nginx over HTTP long-polling, where every request of a
connection must reach the replica that holds its session: sticky routing on the `route` key."""
import asyncio

import socketio

QUESTION = "is heat or ice better for a cramp?"


async def chat_over_polling(url: str, route: str) -> str:
    client = socketio.AsyncClient(reconnection=False)
    confirmed, answered = asyncio.Event(), asyncio.Event()
    replies = []
    client.on("session_confirm", lambda data: confirmed.set())
    client.on("bot_uttered", lambda data: replies.append(data.get("text") or ""))
    client.on("bot_turn_end", lambda data=None: answered.set())
    await client.connect(f"{url}?route={route}", transports=["polling"], socketio_path="/socket.io",
                         headers={"Origin": url.replace("127.0.0.1", "localhost")})
    try:
        await client.emit("session_request", {})
        await asyncio.wait_for(confirmed.wait(), 30)
        await client.emit("user_uttered", {"message": QUESTION})
        await asyncio.wait_for(answered.wait(), 60)
    finally:
        await client.disconnect()
    return "\n".join(replies)


def test_widget_protocol_over_polling_through_nginx(cluster):
    async def all_chats():
        return await asyncio.gather(*(chat_over_polling(cluster.url, f"page{i}") for i in range(6)))

    for answer in asyncio.run(all_chats()):
        assert "heat" in answer.lower(), answer


def test_route_keys_spread_over_both_replicas(cluster):
    import requests
    served = {requests.get(f"{cluster.url}/socket.io/", params={"EIO": 4, "transport": "polling",
                                                               "route": f"page{i}"},
                           timeout=10).headers.get("X-Replica") for i in range(20)}
    assert served == {"rasa-1", "rasa-2"}
