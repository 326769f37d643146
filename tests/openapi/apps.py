"""FastAPI apps for the OpenAPI tests: routers, path/query/header parameters, JSON/form/multipart/text
bodies, bearer and cookie security, declared response headers, and CORSMiddleware configurations that
allow some methods and headers but not others. Test-only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Header, Path, Response, UploadFile
from fastapi.middleware.cors import CORSMiddleware
from fastapi.security import APIKeyCookie, HTTPBearer
from pydantic import BaseModel

PAGE = "http://localhost:8080"
ADMIN = "http://localhost:9090"

bearer = HTTPBearer()
session = APIKeyCookie(name="session")


class Item(BaseModel):
    name: str
    price: float = 1.0


class Order(BaseModel):
    item_id: int
    quantity: int = 1


def shop(config: str) -> FastAPI:
    """The same routes under one of the CORS configurations:

    - ``partial``: GET/POST/PUT, headers Content-Type and Authorization, credentials, X-Total-Count exposed;
    - ``open``: every method and header (``*``) for both app origins, credentials, X-Total-Count exposed.
    """
    app = FastAPI(title="Shop", version="1.0")
    if config == "partial":
        app.add_middleware(CORSMiddleware, allow_origins=[PAGE], allow_methods=["GET", "POST", "PUT"],
                           allow_headers=["Content-Type", "Authorization"], allow_credentials=True,
                           expose_headers=["X-Total-Count"])
    else:
        app.add_middleware(CORSMiddleware, allow_origins=[PAGE, ADMIN], allow_methods=["*"], allow_headers=["*"],
                           allow_credentials=True, expose_headers=["X-Total-Count"])
    items = APIRouter(prefix="/items", tags=["items"])
    readable = {"X-Total-Count": {"schema": {"type": "integer"}, "x-corsprobe-readable": True},
                "X-Debug": {"schema": {"type": "string"}}}

    @items.get("", responses={200: {"headers": readable}})
    def list_items(response: Response, limit: int = 10, q: str | None = None) -> list[Any]:
        response.headers["X-Total-Count"] = "0"
        response.headers["X-Debug"] = "1"
        return []

    @items.get("/{item_id}")
    def get_item(item_id: Annotated[int, Path(examples=[3])]) -> dict[str, Any]:
        return {"id": item_id}

    @items.put("/{item_id}")
    def put_item(item_id: int, item: Item) -> dict[str, Any]:
        return {"id": item_id}

    @items.patch("/{item_id}")
    def patch_item(item_id: int, item: Item) -> dict[str, Any]:
        return {"id": item_id}

    @items.delete("/{item_id}")
    def delete_item(item_id: int, _auth: Annotated[Any, Depends(bearer)]) -> dict[str, Any]:
        return {}

    orders = APIRouter(prefix="/orders", tags=["orders"])

    @orders.post("")
    def create_order(order: Order, _auth: Annotated[Any, Depends(bearer)]) -> dict[str, Any]:
        return {"ok": True}

    @orders.get("/search")
    def search_orders(status: str, x_tenant: Annotated[str, Header()] = "acme") -> list[Any]:
        return []

    app.include_router(items)
    app.include_router(orders)

    @app.post("/login")
    def login(username: Annotated[str, Form()], password: Annotated[str, Form()]) -> dict[str, Any]:
        return {}

    @app.post("/upload")
    def upload(file: UploadFile) -> dict[str, Any]:
        return {}

    @app.get("/me")
    def me(_session: Annotated[Any, Depends(session)]) -> dict[str, Any]:
        return {}

    return app
