// Baseline 2 of the load test: the skill server a Korean developer writes first with Express.
// Same request, same checks (user id and utterance present), same SkillResponse as the built-in agent.
// Loopback only: PORT=8791 node server.js
'use strict';
const express = require('express');

const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.use(express.json({ limit: '1mb' }));

app.post('/kakao/webhook', (req, res) => {
  const userRequest = req.body && req.body.userRequest;
  if (!userRequest || !userRequest.user || !userRequest.user.id) {
    return res.status(400).json({ title: 'Invalid skill request', field: 'userRequest.user.id' });
  }
  if (typeof userRequest.utterance !== 'string') {
    return res.status(400).json({ title: 'Invalid skill request', field: 'userRequest.utterance' });
  }
  const utterance = userRequest.utterance.trim();
  res.json({
    version: '2.0',
    template: {
      outputs: [{
        simpleText: {
          text: `받은 메시지: "${utterance}"\n(기본 에이전트가 답했어요. 이 대화에서 이전 메시지 0개를 기억하고 있어요. /help 로 명령을 볼 수 있어요.)`,
        },
      }],
    },
  });
});

app.get('/health', (req, res) => res.send('Healthy'));

const port = Number(process.env.PORT || 8791);
app.listen(port, '127.0.0.1', () => console.log(`express baseline on http://127.0.0.1:${port}`));
