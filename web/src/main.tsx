import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { Layout } from './components/Layout';
import { SessionProvider } from './hooks/useSession';
import { AuditLogPage } from './pages/AuditLogPage';
import { BatchesPage } from './pages/BatchesPage';
import { BatchPage } from './pages/BatchPage';
import { BuildPage } from './pages/BuildPage';
import { CategoryPage } from './pages/CategoryPage';
import { CustomBuildsPage } from './pages/CustomBuildsPage';
import { DashboardPage } from './pages/DashboardPage';
import { DevicePage } from './pages/DevicePage';
import { DevicesPage } from './pages/DevicesPage';
import { EnrollRoutersPage } from './pages/EnrollRoutersPage';
import { FirmwarePage } from './pages/FirmwarePage';
import { LoginPage } from './pages/LoginPage';
import { MaintenanceWindowsPage } from './pages/MaintenanceWindowsPage';
import { HealthChecksPage } from './pages/HealthChecksPage';
import { MassUpgradePage } from './pages/MassUpgradePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { OperationPage } from './pages/OperationPage';
import { TokensPage } from './pages/TokensPage';
import { WebhooksPage } from './pages/WebhooksPage';
import './styles.css';

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    element: <Layout />,
    children: [
      { path: '/', element: <DashboardPage /> },
      { path: '/firmware', element: <FirmwarePage /> },
      { path: '/firmware/categories/:id', element: <CategoryPage /> },
      { path: '/firmware/builds/:id', element: <BuildPage /> },
      { path: '/firmware/builds/:id/upgrade', element: <MassUpgradePage /> },
      { path: '/devices', element: <DevicesPage /> },
      { path: '/devices/:id', element: <DevicePage /> },
      { path: '/enroll', element: <EnrollRoutersPage /> },
      { path: '/operations/:id', element: <OperationPage /> },
      { path: '/batches', element: <BatchesPage /> },
      { path: '/batches/:id', element: <BatchPage /> },
      { path: '/maintenance-windows', element: <MaintenanceWindowsPage /> },
      { path: '/health-checks', element: <HealthChecksPage /> },
      { path: '/custom-builds', element: <CustomBuildsPage /> },
      { path: '/tokens', element: <TokensPage /> },
      { path: '/audit-log', element: <AuditLogPage /> },
      { path: '/webhooks', element: <WebhooksPage /> },
      { path: '/notifications', element: <NotificationsPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  </StrictMode>,
);
