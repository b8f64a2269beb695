import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, MissingBridge } from './app/App';
import { connectBridge } from './bridge/connect';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const connection = connectBridge();
createRoot(root).render(
  <StrictMode>{connection.bridge ? <App bridge={connection.bridge} /> : <MissingBridge problem={connection.problem} />}</StrictMode>,
);
