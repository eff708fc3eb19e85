// The local Kakao test panel: sends real SkillPayloads through the server-side proxy and renders SkillResponse v2.0.
"use strict";

const $ = (id) => document.getElementById(id);
const messages = $("messages");
const quickReplies = $("quick-replies");
const FOLD_AT = 500; // KakaoTalk folds simpleText longer than 500 characters behind "전체 보기".

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function addMessage(who, ...content) {
  const item = el("li", { class: `msg ${who}` }, ...content);
  messages.append(item);
  messages.scrollTop = messages.scrollHeight;
  return item;
}

function textBubble(text) {
  const chars = Array.from(text ?? "");
  if (chars.length <= FOLD_AT) return el("div", { class: "bubble" }, text);
  const bubble = el("div", { class: "bubble" }, chars.slice(0, FOLD_AT).join("") + "…");
  bubble.append(el("button", { class: "fold", type: "button", onclick: () => { bubble.textContent = text; } }, "전체 보기"));
  return bubble;
}

function buttonsOf(buttons) {
  if (!buttons || buttons.length === 0) return null;
  const box = el("div", { class: "buttons" });
  for (const button of buttons) {
    if (button.action === "webLink") {
      box.append(el("a", { href: button.webLinkUrl, target: "_blank", rel: "noopener" }, button.label));
    } else {
      box.append(el("button", { type: "button", onclick: () => send(button.messageText ?? button.label) }, button.label));
    }
  }
  return box;
}

function card(kind, data) {
  const node = el("div", { class: `card ${kind}` });
  const thumb = data.thumbnail ?? (data.thumbnails && data.thumbnails[0]);
  if (thumb && thumb.imageUrl) node.append(el("img", { src: thumb.imageUrl, alt: thumb.altText ?? "" }));
  const body = el("div", { class: "body" });
  if (kind === "listCard") {
    body.append(el("h3", {}, data.header?.title ?? ""));
    const list = el("ul");
    for (const item of data.items ?? []) list.append(el("li", {}, item.title ?? "", item.description ? el("p", {}, item.description) : null));
    body.append(list);
  } else if (kind === "itemCard") {
    if (data.head?.title) body.append(el("h3", {}, data.head.title));
    for (const row of data.itemList ?? []) body.append(el("p", {}, `${row.title}  ${row.description}`));
    if (data.title) body.append(el("h3", {}, data.title));
    if (data.description) body.append(el("p", {}, data.description));
  } else {
    if (data.title) body.append(el("h3", {}, data.title));
    if (data.description) body.append(el("p", {}, data.description));
    if (kind === "commerceCard" && data.price !== undefined) body.append(el("p", { class: "price" }, `${data.price.toLocaleString("ko-KR")}${data.currency === "won" || !data.currency ? "원" : " " + data.currency}`));
  }
  node.append(body);
  const buttons = buttonsOf(data.buttons);
  if (buttons) node.append(buttons);
  return node;
}

function renderOutput(output) {
  if (output.simpleText) return textBubble(output.simpleText.text);
  if (output.simpleImage) return el("img", { class: "image", src: output.simpleImage.imageUrl, alt: output.simpleImage.altText ?? "" });
  if (output.carousel) {
    const box = el("div", { class: "carousel", "data-kind": output.carousel.type });
    for (const item of output.carousel.items ?? []) box.append(card(output.carousel.type, item));
    return box;
  }
  for (const kind of ["textCard", "basicCard", "commerceCard", "listCard", "itemCard"]) {
    if (output[kind]) return card(kind, output[kind]);
  }
  return el("div", { class: "bubble" }, JSON.stringify(output));
}

function showQuickReplies(replies) {
  quickReplies.replaceChildren();
  for (const reply of replies ?? []) {
    quickReplies.append(el("button", { type: "button", onclick: () => send(reply.messageText ?? reply.label) }, reply.label));
  }
}

function renderResponse(response, into) {
  const parts = (response.template?.outputs ?? []).map(renderOutput);
  if (into) into.replaceChildren(...parts);
  else addMessage("bot", ...parts);
  showQuickReplies(response.template?.quickReplies);
}

async function waitForCallback(callbackId, bubbleItem) {
  for (let i = 0; i < 240; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const reply = await fetch(`/simulator/api/callbacks/${encodeURIComponent(callbackId)}`);
    if (reply.status === 200) {
      renderResponse(await reply.json(), bubbleItem);
      return;
    }
  }
  bubbleItem.replaceChildren(el("div", { class: "bubble error" }, "콜백 응답이 오지 않았어요 (2분)."));
}

async function send(text) {
  text = (text ?? "").trim();
  if (!text) return;
  addMessage("user", el("div", { class: "bubble" }, text));
  showQuickReplies([]);
  const reply = await fetch("/simulator/api/send", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ accountId: $("account").value, userId: $("user-id").value, text, callback: $("callback").checked }),
  });
  const body = await reply.json().catch(() => ({}));
  if (!reply.ok || !body.response) {
    addMessage("bot", el("div", { class: "bubble error" }, `${reply.status}: ${body.detail ?? body.title ?? "오류"}`));
    return;
  }
  if (body.response.useCallback) {
    const item = addMessage("bot", el("div", { class: "bubble waiting" }, body.response.data?.text ?? "답변을 준비하고 있어요…"));
    waitForCallback(body.callbackId, item);
    return;
  }
  renderResponse(body.response);
}

async function refreshOutbox() {
  const reply = await fetch("/simulator/api/outbox").catch(() => null);
  if (!reply || !reply.ok) return;
  const items = await reply.json();
  $("outbox").replaceChildren(...items.map((m) => el("li", {},
    el("div", { class: "status" }, `${m.status} → ${m.to}`),
    el("div", {}, m.message ?? ""),
    el("div", { class: "hint" }, m.reason ?? m.acceptedAt ?? ""))));
}

async function start() {
  const accounts = await (await fetch("/simulator/api/accounts")).json();
  $("account").replaceChildren(...accounts.map((a) => el("option", { value: a.id }, a.name ? `${a.id} (${a.name})` : a.id)));
  if (accounts[0]?.name) $("bot-name").textContent = accounts[0].name;
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("text").value;
    $("text").value = "";
    send(text);
  });
  refreshOutbox();
  setInterval(refreshOutbox, 3000);
  document.body.dataset.ready = "true";
}

start();
