-- AlterTable
ALTER TABLE "app_user" ADD COLUMN     "credentials_changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AddForeignKey
ALTER TABLE "warehouse" ADD CONSTRAINT "warehouse_manager_id_fkey" FOREIGN KEY ("manager_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

